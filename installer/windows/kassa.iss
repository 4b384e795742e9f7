; Inno Setup 6 script: the Kassa till for Windows, installed per machine.
; Built by installer\windows\build.ps1 (which passes /DAppVersion=<pyproject version>) from the
; PyInstaller bundle in installer\build\dist\kassa\.
;
; IT's silent install, with the site settings file:
;   kassa-setup-<version>.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SETTINGS="\\server\share\shop-014.toml" /LOG="C:\Windows\Temp\kassa-setup.log"
; /SETTINGS is copied to %PROGRAMDATA%\Kassa\settings.toml (kept on upgrade and on uninstall when
; not given); /MERGETASKS="!autostart" leaves out the autostart shortcut.
; After the files are in, the installer runs "kassa check-config" on the settings file and writes
; its answer to the log; IT's deployment tool should run "kassa self-test" (see docs/deployment.md).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\build\dist\kassa"
#endif

[Setup]
AppId={{6C1F3A52-58B4-4E0B-9D0E-4B4A2E7C9B11}
AppName=Kassa
AppVersion={#AppVersion}
AppVerName=Kassa {#AppVersion}
AppPublisher=Kassa
DefaultDirName={autopf}\Kassa
DefaultGroupName=Kassa
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\build
OutputBaseFilename=kassa-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
UninstallDisplayIcon={app}\kassa.exe
UninstallDisplayName=Kassa {#AppVersion}
; a running till is asked to close before its files are replaced (an upgrade)
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Tasks]
Name: "autostart"; Description: "Start the till when a user logs in"; Flags: checkedonce

[Dirs]
Name: "{commonappdata}\Kassa"

[Files]
; the whole onedir bundle: kassa.exe (console: IT's commands), kassa-till.exe (the window), _internal\
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; IT's settings file, given as /SETTINGS=<path>: copied to %PROGRAMDATA%\Kassa\settings.toml
Source: "{param:SETTINGS|}"; DestDir: "{commonappdata}\Kassa"; DestName: "settings.toml"; Flags: external ignoreversion uninsneveruninstall; Check: SettingsGiven

[Icons]
Name: "{group}\Kassa"; Filename: "{app}\kassa-till.exe"; WorkingDir: "{app}"; Comment: "The shop's till"
Name: "{commonstartup}\Kassa"; Filename: "{app}\kassa-till.exe"; WorkingDir: "{app}"; Tasks: autostart

[Code]
function SettingsGiven: Boolean;
begin
  Result := ExpandConstant('{param:SETTINGS|}') <> '';
end;

function InitializeSetup: Boolean;
var
  Given: String;
begin
  Result := True;
  Given := ExpandConstant('{param:SETTINGS|}');
  if (Given <> '') and not FileExists(Given) then
  begin
    Log('The settings file ' + Given + ' given with /SETTINGS does not exist.');
    SuppressibleMsgBox('The settings file ' + Given + ' given with /SETTINGS does not exist.', mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Settings: String;
  ResultCode: Integer;
begin
  if CurStep <> ssPostInstall then
    exit;
  Settings := ExpandConstant('{commonappdata}\Kassa\settings.toml');
  if not FileExists(Settings) then
  begin
    Log('No settings file yet: put one in ' + Settings + ' (kassa init-config writes a template).');
    exit;
  end;
  if Exec(ExpandConstant('{app}\kassa.exe'), 'check-config --config "' + Settings + '"', '', SW_HIDE,
          ewWaitUntilTerminated, ResultCode) then
    Log('kassa check-config ' + Settings + ' exited with ' + IntToStr(ResultCode) + ' (0: the settings are valid)')
  else
    Log('kassa check-config could not be run: ' + SysErrorMessage(ResultCode));
  if ResultCode <> 0 then
    SuppressibleMsgBox('The settings file ' + Settings + ' has mistakes: run "kassa check-config" in '
                       + ExpandConstant('{app}') + ' to see them.', mbError, MB_OK, IDOK);
end;
