"""The demo hub is prepared by many ``kassa-hub`` commands run in one hub process
(``central.batch`` through ``shell.hub_batch``): each command runs as ``kassa-hub`` runs it, a
failed job stops only itself (or the batch, when it must), and what the hub did not take is
forgotten so the next demo start gives it again."""

from __future__ import annotations

import logging

from shell.demo_hub import DemoHub
from shell.hub_batch import DemoHubProblem, HubJob, run_jobs, settle


def hub_env(tmp_path) -> dict[str, str]:  # noqa: ANN001
    return {"KASSA_HUB_DATABASE": f"sqlite:///{tmp_path / 'hub.sqlite3'}"}


def test_each_command_answers_as_kassa_hub_would_and_a_failed_job_stops_only_itself_or_the_batch(
        tmp_path) -> None:  # noqa: ANN001
    made = HubJob([["migrate"], ["add-store", "--store", "S1", "--name", "Shop"],
                   ["enrol-code", "--store", "S1", "--till", "T1"]])
    refused = HubJob([["add-cashier", "--store", "S1", "--code", "1", "--name", "A", "--pin", "1"],
                      ["add-cashier", "--store", "S1", "--code", "2", "--name", "B", "--pin", "2222"]])
    misspelt = HubJob([["sales", "--bogus"]])
    after = HubJob([["add-cashier", "--store", "S1", "--code", "3", "--name", "C", "--pin", "3333"], ["sales"]])
    needed = HubJob([["add-store", "--store", "", "--name", "Shop"]], stop_on_failure=True)
    later = HubJob([["add-store", "--store", "S2", "--name", "Other"]])
    run_jobs(hub_env(tmp_path), [made, refused, misspelt, after, needed, later])
    assert made.taken and made.outputs[1] == "added store S1" and len(made.outputs[2].split("-")) == 3
    assert refused.ran and refused.error == "kassa-hub: a PIN is 4 to 12 digits" and refused.outputs == []
    assert misspelt.ran and "unrecognized arguments: --bogus" in (misspelt.error or "")
    assert after.taken and after.outputs[1].endswith("0 sale(s)")
    assert needed.ran and needed.error is not None and "store ''" in needed.error
    assert not later.ran and not later.taken and later.error is not None


def test_what_the_hub_did_not_take_is_forgotten_and_logged_and_what_it_took_remembered(
        tmp_path, caplog) -> None:  # noqa: ANN001
    given, mark, refused_file = tmp_path / "given.json", tmp_path / "given.mark", tmp_path / "refused.json"
    given.write_text("{}", encoding="utf-8")
    refused_file.write_text("{}", encoding="utf-8")
    taken = HubJob([["x"]], what="the taken", written=(given,), remembered=(mark, "done"), ran=True)
    refused = HubJob([["y"]], what="the refused", written=(refused_file,), ran=True, error="kassa-hub: no")
    with caplog.at_level(logging.WARNING):
        assert settle([taken, refused]) is False
    assert given.exists() and mark.read_text(encoding="utf-8") == "done"
    assert not refused_file.exists()  # given again at the next start
    assert "the refused: kassa-hub: no" in caplog.text and "the taken" not in caplog.text
    assert settle([taken]) is True


def test_a_new_demo_hub_database_that_could_not_be_set_up_is_removed_and_named(tmp_path) -> None:  # noqa: ANN001
    hub = DemoHub(tmp_path / "hub")
    try:
        hub.prepare("", "Shop", 20)
    except DemoHubProblem as problem:
        assert "store ''" in problem.user_message()
    else:
        raise AssertionError("a store the hub refuses was taken")
    assert not hub.database.exists() and not hub.promotions_file.exists()
    assert not (hub.folder / "customers.json").exists()


def test_a_demo_hub_is_prepared_once_with_its_enrolment_code_and_a_second_start_gives_nothing_again(
        tmp_path) -> None:  # noqa: ANN001
    hub = DemoHub(tmp_path / "hub")
    first = hub.prepare("S1", "Shop", 20, enrol_till="T01")
    assert first.created and first.enrolment_code is not None and len(first.enrolment_code.split("-")) == 3
    again = hub.prepare("S1", "Shop", 20)
    assert again == (False, None)
    [looked] = run_jobs({"KASSA_HUB_DATABASE": hub.database_url}, [HubJob([["tills"], ["promo-codes"]])])
    tills, codes = looked.outputs
    assert "T01" in tills and codes.endswith("3 promo code(s)")  # the code was made for that till


def test_a_new_demo_hub_database_gets_the_demos_customers_even_when_a_leftover_file_says_they_were_given(
        tmp_path) -> None:  # noqa: ANN001
    hub = DemoHub(tmp_path / "hub")
    hub.prepare("S1", "Shop", 20)
    hub.database.unlink()  # the hub's database gone (a fresh start), its folder's notes left from today
    assert (hub.folder / "customers.json").exists()
    assert hub.prepare("S1", "Shop", 20).created
    [looked] = run_jobs({"KASSA_HUB_DATABASE": hub.database_url}, [HubJob([["customers"]])])
    assert "0 customer(s)" not in looked.outputs[0] and looked.outputs[0].strip(), looked.outputs
