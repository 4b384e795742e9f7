"""Gift cards at the till: selling (the card exists only once the sale is paid and reaches the
hub), paying with one (online at the hub; the electronic card's one-time password; offline
only under the chain's capped, manager-approved policy).  docs/gift-cards.md."""
