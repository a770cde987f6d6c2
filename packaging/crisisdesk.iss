; Inno Setup 6 script: a per-user install of CrisisDesk, without administrator rights.
;
; Built by packaging\build.py --installer (packaging\build-windows.ps1), which passes:
;   /DAppName=CrisisDesk /DAppVersion=<appinfo/meta.py VERSION> /DAppExe=CrisisDesk.exe
;   /DSourceDir=<the PyInstaller bundle folder> /DOutputDir=<dist> /DIconFile=<.ico>
;
; Why per user: unit heads have no administrator rights, and IT staff should be able to roll
; it out without elevation. The program goes to %LOCALAPPDATA%\Programs\CrisisDesk; the
; user's data (database, settings, backups) lives in %LOCALAPPDATA%\CrisisDesk (platformdirs'
; user data folder), a different folder that this installer never touches, so uninstalling or
; upgrading keeps every record. See docs/it-guide.md.
;
; IT defaults: a crisisdesk-defaults.json placed beside the setup program is installed beside
; CrisisDesk.exe (docs/it-defaults.md).

#ifndef AppName
  #define AppName "CrisisDesk"
#endif
#ifndef AppVersion
  #error Pass /DAppVersion=... (packaging\build.py does)
#endif
#ifndef AppExe
  #define AppExe AppName + ".exe"
#endif
#ifndef SourceDir
  #error Pass /DSourceDir=<PyInstaller bundle folder> (packaging\build.py does)
#endif
#ifndef OutputDir
  #define OutputDir "dist"
#endif

[Setup]
; Never change AppId: an upgrade finds the installed copy by it.
AppId={{7B0E3C52-4F1D-4C8B-9B8E-2D6A1C0F5E31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Customs Administration, Ministry of Finance (crisis management)
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
#ifdef IconFile
SetupIconFile={#IconFile}
#endif
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; A running copy is closed (and reopened) by the Restart Manager during an upgrade.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships no Traditional Chinese messages file; its wizard stays in English.

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; IT staff's defaults, when they put the file beside the setup program.
Source: "{src}\crisisdesk-defaults.json"; DestDir: "{app}"; Flags: external skipifsourcedoesntexist ignoreversion

[InstallDelete]
; An upgrade replaces the program folder's contents; files of the old version that the new
; one no longer has would otherwise stay (the data folder is elsewhere and untouched).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only what it installed
; (the program folder). The user's data folder, %LOCALAPPDATA%\CrisisDesk, is never deleted.
