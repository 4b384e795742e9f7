# Builds the Windows installer: the PyInstaller bundle (installer\build.py bundle, the same build
# definition as Linux: installer\kassa.spec), then Inno Setup 6's compiler on installer\windows\kassa.iss.
# Result: installer\build\kassa-setup-<version>.exe
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 [-Python py] [-Iscc "C:\...\ISCC.exe"]
#
# Needs Python 3.11 or newer (64-bit) and Inno Setup 6 (https://jrsoftware.org/isinfo.php).
param(
    [string]$Python = "python",
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root

$venv = Join-Path $root ".venv-windows"
$venvPython = Join-Path $venv "Scripts\python.exe"
if (-not (Test-Path $venvPython)) {
    & $Python -m venv $venv
    if ($LASTEXITCODE -ne 0) { throw "could not make a virtual environment with '$Python'" }
}
# the till and the build tool only: the hub and the test tools stay out of the bundle anyway
& $venvPython -m pip install --quiet --upgrade pip
& $venvPython -m pip install --quiet -e . "pyinstaller>=6.10"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

$started = Get-Date
& $venvPython installer\build.py bundle
if ($LASTEXITCODE -ne 0) { throw "the bundle build failed" }

# the bundle starts and passes its own checks before it is packed
& installer\build\dist\kassa\kassa.exe --version
& installer\build\dist\kassa\kassa.exe self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }

$version = (& $venvPython -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if (-not $Iscc) {
    $Iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
              "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6's ISCC.exe was not found: install Inno Setup 6 or pass -Iscc <path>" }
& $Iscc "/DAppVersion=$version" installer\windows\kassa.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
$setup = Join-Path $root "installer\build\kassa-setup-$version.exe"
Write-Host ("{0}: {1:N0} MB, built in {2:N0} s" -f $setup, ((Get-Item $setup).Length / 1MB), ((Get-Date) - $started).TotalSeconds)
