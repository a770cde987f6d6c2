"""CrisisDesk: start the window, or run an administrator command.

    python main.py                               open the window
    python main.py --data-dir DIR <command> ...  run a command against another data folder

Commands: check, audit verify, playbook export FILE, playbook import FILE, backup DIR,
restore FILE, export-json FILE, demo, cases, forms, selftest.
Qt is imported only when the window is opened, so commands start fast and run on machines
without a display.

Whatever happens, the user reads a translated message, never a traceback: an unexpected
error is written with its traceback to the log in the data folder (models/core/logs.py), and
only ``--debug`` shows it on the console.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from appinfo.meta import APP_NAME, VERSION
from i18n import N_, _, ngettext, set_language
from models.core.errors import UserError, os_reason

if TYPE_CHECKING:
    from models.core.form_files import WrittenForm
    from models.org.people import Actor, Role
    from models.org.settings import Settings
    from models.storage.db import Database
    from models.trust_admin import Approver

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("main")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's own words ("usage:") in the user's language, without patching argparse."""

    def add_usage(self, usage: str | None, actions: object, groups: object,
                  prefix: str | None = None) -> None:
        # argparse passes prefix "" when it only wants the bare usage line (for subcommands).
        # The ignore: typeshed types groups with argparse's private _MutuallyExclusiveGroup;
        # this passes actions and groups on unread.
        super().add_usage(usage, actions, groups,  # type: ignore[arg-type]
                          _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        # The ignore: the arguments are ArgumentParser's own, passed on as they came.
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", help=_("show this help and exit"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("{prog}: error: {message}\n").format(prog=self.prog,
                                                                    message=message))


MAX_SECONDS = 24 * 60 * 60
"""The longest --interval or --timeout: a day (time.sleep overflows far beyond)."""


def _seconds(text: str) -> float:
    """A number of seconds on the command line: finite, above 0, at most a day. "nan" and
    "inf" are floats to Python, and ended --interval and --timeout in an "unexpected
    problem" instead of a usage error."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_SECONDS:  # False for NaN
        raise argparse.ArgumentTypeError(
            _("{value} is not a number of seconds between 0 and {limit}").format(
                value=text, limit=MAX_SECONDS))
    return value


def _add_options(parser: argparse.ArgumentParser) -> None:
    """The options of the window and of every command, but --help and --version."""
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help=_("use this data folder instead of the user's (created on first "
                               "use)"))
    parser.add_argument("--debug", action="store_true",
                        help=_("also show the log on the console, with the details of any "
                               "unexpected error (for IT staff)"))
    parser.add_argument("--pseudo", action="store_true",
                        help=_("lengthen every text of the window by 40 %% to check that no "
                               "layout breaks (for developers and translators)"))


class _NotTheWindow(Exception):
    """The options parser met something that is not only the window's options."""


class _WindowOptionsParser(argparse.ArgumentParser):
    """The options alone, without the commands: parsing the window's arguments this way
    saves building the commands' two dozen parsers (10-20 ms of every start on the 2-core
    test machine). Anything else, a mistake included, goes to the whole parser, which says
    it as before."""

    def error(self, message: str) -> NoReturn:
        raise _NotTheWindow(message)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The command line, parsed by build_parser(); only the window's options (no command, no
    --help) by _WindowOptionsParser, which gives the same result."""
    if not {"-h", "--help"} & set(argv):
        window = _WindowOptionsParser(prog="main.py", add_help=False)
        _add_options(window)
        window.set_defaults(command=None)
        try:
            args, rest = window.parse_known_args(argv)
        except _NotTheWindow:
            pass
        else:
            if not rest:
                return args
    return build_parser().parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py",
        description=_("CrisisDesk: crisis management for customs offices. Without a command, "
                      "the window opens."),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {VERSION}",
                        help=_("show the version and exit"))
    _add_options(parser)
    commands = parser.add_subparsers(dest="command", metavar=_("command"), parser_class=_Parser)

    check = commands.add_parser("check", help=_("check schema version, database integrity "
                                                 "and playbook consistency"),
                                description=_("Exit code 0 only when every check passes."))
    check.set_defaults(run=_cmd_check)

    audit = commands.add_parser("audit", help=_("verify this PC's records against their "
                                                "signed sync history"))
    audit_commands = audit.add_subparsers(dest="audit_command", metavar=_("action"),
                                          required=True, parser_class=_Parser)
    verify = audit_commands.add_parser(
        "verify", help=_("check that every record is what the signed sync history says, and "
                         "that the history is what the signed sync files carry"),
        description=_("Each finding names the sync file, or the table, record and field, at "
                      "fault. Exit code 0 only when everything holds."))
    verify.set_defaults(run=_cmd_audit_verify)

    playbook = commands.add_parser("playbook", help=_("export or import the playbook as JSON"),
                                   description=_("The file format is described in "
                                                 "docs/playbook-format.md."))
    pb_commands = playbook.add_subparsers(dest="playbook_command", metavar=_("action"),
                                          required=True, parser_class=_Parser)
    export = pb_commands.add_parser("export", help=_("write the current playbook to FILE"))
    export.add_argument("file", type=Path, metavar="FILE")
    export.set_defaults(run=_cmd_playbook_export)
    imp = pb_commands.add_parser(
        "import",
        help=_("replace the playbook with FILE, as a new version"),
        description=_("The file is validated completely first; a rejected file changes "
                      "nothing and the exit code is 1. Only the planning group may import."),
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--reason", default="", help=_("why the playbook changes (recorded)"))
    imp.add_argument("--user", default="", help=_("who is importing (default: this PC's user)"))
    imp.add_argument("--role", default="",
                     help=_("role of who is importing (default: this PC's role)"))
    imp.set_defaults(run=_cmd_playbook_import)

    backup = commands.add_parser("backup", help=_("write a consistent copy of the database "
                                                  "into DIR (safe while the app runs)"))
    backup.add_argument("dir", type=Path, metavar="DIR")
    backup.set_defaults(run=_cmd_backup)

    restore = commands.add_parser(
        "restore", help=_("replace the database with a backup (the database in use is "
                          "kept in the backups folder)"),
        description=_("The backup is checked first (a complete, undamaged CrisisDesk "
                      "database of this version or older); a refused one changes nothing and "
                      "the exit code is 1. Close CrisisDesk on this PC first."))
    restore.add_argument("backup", type=Path, metavar="BACKUP_FILE")
    restore.set_defaults(run=_cmd_restore)

    export_json = commands.add_parser("export-json", help=_("write every record as JSON to "
                                                            "FILE, for audit and archiving"))
    export_json.add_argument("file", type=Path, metavar="FILE")
    export_json.set_defaults(run=_cmd_export_json)

    demo = commands.add_parser("demo", help=_("load the example cases into the case archive "
                                              "(marked as examples; loading twice adds "
                                              "nothing)"))
    demo.set_defaults(run=_cmd_demo)

    cases = commands.add_parser("cases", help=_("export or import archived case files"))
    case_commands = cases.add_subparsers(dest="cases_command", metavar=_("action"),
                                         required=True, parser_class=_Parser)
    case_export = case_commands.add_parser(
        "export", help=_("write every archived case file as a PDF into DIR"))
    case_export.add_argument("--out", type=Path, metavar="DIR", required=True)
    case_export.add_argument("--odf", action="store_true",
                             help=_("also write each form as an ODF text document (.odt)"))
    case_export.set_defaults(run=_cmd_cases_export)
    case_import = case_commands.add_parser(
        "import", help=_("add the cases of FILE to the case archive"),
        description=_("The file format is described in docs/case-format.md. The file is "
                      "validated completely first; a rejected file changes nothing."))
    case_import.add_argument("file", type=Path, metavar="FILE")
    case_import.add_argument("--user", default="", help=_("who is importing (default: this "
                                                          "PC's user)"))
    case_import.add_argument("--role", default="",
                             help=_("role of who is importing (default: this PC's role)"))
    case_import.set_defaults(run=_cmd_cases_import)

    forms = commands.add_parser("forms", help=_("printable forms"))
    form_commands = forms.add_subparsers(dest="forms_command", metavar=_("action"),
                                         required=True, parser_class=_Parser)
    sample = form_commands.add_parser(
        "sample", help=_("render every form the app prints, filled with example data, into "
                         "DIR (to try a printer and its margins)"))
    sample.add_argument("--out", type=Path, metavar="DIR", required=True)
    sample.add_argument("--odf", action="store_true",
                        help=_("also write each form as an ODF text document (.odt)"))
    sample.set_defaults(run=_cmd_forms_sample)
    month_export = form_commands.add_parser(
        "export", help=_("write the drill forms of a month (e.g. 115/11) as PDFs into DIR"))
    month_export.add_argument("--month", required=True, metavar="MONTH")
    month_export.add_argument("--out", type=Path, metavar="DIR", required=True)
    month_export.add_argument("--odf", action="store_true",
                              help=_("also write each form as an ODF text document (.odt)"))
    month_export.set_defaults(run=_cmd_forms_export)

    report = commands.add_parser("report", help=_("reports of the team's crisis work"))
    report_commands = report.add_subparsers(dest="report_command", metavar=_("report"),
                                            required=True, parser_class=_Parser)
    annual = report_commands.add_parser(
        "annual", help=_("write the annual crisis management review of a ROC year (e.g. 115) "
                         "as PDF or ODF text document (.odt), or its tables as an ODF "
                         "spreadsheet (.ods) or CSV, by FILE's suffix"))
    annual.add_argument("--year", required=True, type=_roc_year, metavar=_("YEAR"))
    annual.add_argument("--out", type=Path, metavar="FILE", required=True)
    annual.set_defaults(run=_cmd_report_annual)

    sync = commands.add_parser(
        "sync", help=_("sync with the shared folder once (exit code 0: in sync, no conflict "
                       "waiting; 1: not yet in sync; 3: the sync could not run: folder not "
                       "reachable, or this PC's disk or database)"))
    sync.add_argument("--folder", type=Path, metavar="SHARE",
                      help=_("the shared folder (default: the one in this PC's settings)"))
    sync.add_argument("--watch", action="store_true",
                      help=_("keep syncing until interrupted (Ctrl+C)"))
    sync.add_argument("--interval", type=_seconds, default=60.0, metavar="SECONDS",
                      help=_("seconds between runs with --watch (default 60)"))
    sync.add_argument("--person", metavar="NAME",
                      help=_("the person this PC's request to join the office names, while it "
                             "is not enrolled (default: the one in this PC's settings)"))
    sync.add_argument("--unit", metavar="KEY",
                      help=_("the unit that request names (default: the one in this PC's "
                             "settings)"))
    sync.add_argument("--role", type=_role, metavar="ROLE",
                      help=_("the role that request names (default: the one in this PC's "
                             "settings)"))
    sync.add_argument("--report", type=Path, metavar="FILE",
                      help=_("also write the report of each run to FILE as JSON (the window "
                             "syncs through this)"))
    sync.set_defaults(run=_cmd_sync)

    _trust_parsers(commands)
    verify = commands.add_parser(
        "verify", help=_("say whether a printed drill report or evaluation with CODE matches a "
                         "genuine, current sign-off (exit code 0 only then)"))
    verify.add_argument("code", metavar="CODE")
    verify.set_defaults(run=_cmd_verify)

    selftest = commands.add_parser(
        "selftest", help=_("start the window, check that it opens the database and shows "
                           "translated, print what it shows and exit (after an install)"),
        description=_("Follows a normal start without asking anything and saves no "
                      "settings: without saved settings it uses the IT defaults file. Exit "
                      "code 0 only when every step passes. Off-screen with "
                      "QT_QPA_PLATFORM=offscreen."))
    selftest.add_argument("--screenshot", type=Path, metavar="FILE",
                          help=_("also save a picture of the main window (PNG)"))
    selftest.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                          help=_("fail when the window is not ready within this time "
                                 "(default 60)"))
    selftest.set_defaults(run=_cmd_selftest)
    return parser


def _trust_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``trust init|code|approve|revoke|list`` (docs/it-guide.md, "Setting up the office
    authority and approving PCs")."""
    trust = commands.add_parser("trust", help=_("the office authority and its enrolled PCs"))
    trust_commands = trust.add_subparsers(dest="trust_command", metavar=_("action"),
                                          required=True, parser_class=_Parser)
    init = trust_commands.add_parser(
        "init", help=_("create the office authority (its key written to FILE, encrypted) and "
                       "enrol this PC as the authority's PC"))
    init.add_argument("--key-file", type=Path, required=True, metavar="FILE")
    init.add_argument("--passphrase-file", type=Path, metavar="P",
                      help=_("read the passphrase from this file (default: ask for it)"))
    init.set_defaults(run=_cmd_trust_init)
    code = trust_commands.add_parser("code", help=_("print this PC's code"))
    code.set_defaults(run=_cmd_trust_code)
    approve = trust_commands.add_parser(
        "approve", help=_("approve the PC with CODE for a person (from the authority's PC, or "
                          "with the authority's key file)"))
    approve.add_argument("code", metavar="CODE")
    approve.add_argument("--person", required=True, metavar="NAME")
    approve.add_argument("--login", required=True, metavar="LOGIN")
    approve.add_argument("--role", required=True, metavar="ROLE", type=_role,
                         help=", ".join(r.value for r in _roles()))
    approve.add_argument("--post", action="append", default=[], metavar="POST",
                         help=_("a post the person holds or deputises for (repeatable)"))
    approve.add_argument("--folder", type=Path, required=True, metavar="SHARE")
    _approver_arguments(approve)
    approve.set_defaults(run=_cmd_trust_approve)
    revoke = trust_commands.add_parser(
        "revoke", help=_("revoke the PC with CODE: its later files are refused"))
    revoke.add_argument("code", metavar="CODE")
    revoke.add_argument("--folder", type=Path, required=True, metavar="SHARE")
    _approver_arguments(revoke)
    revoke.set_defaults(run=_cmd_trust_revoke)
    listing = trust_commands.add_parser("list", help=_("list the office's PCs"))
    listing.set_defaults(run=_cmd_trust_list)


def _approver_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key-file", type=Path, metavar="FILE",
                        help=_("the authority's key file (default: this PC approves, if the "
                               "authority made it an approver)"))
    parser.add_argument("--passphrase-file", type=Path, metavar="P")


def _roles() -> list[Role]:
    from models.org.people import Role

    return list(Role)


def _role(text: str) -> Role:
    from models.org.people import Role

    try:
        return Role(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("unknown role '{role}'; use one of: {roles}").format(
            role=text, roles=", ".join(r.value for r in Role))) from None


def _passphrase(path: Path | None, *, twice: bool = False) -> bytes:
    """The passphrase from *path* (its first line), or asked for on the console."""
    import getpass

    if path is not None:
        with open(path, "rb") as fh:
            lines = fh.read(4096).splitlines()
        return lines[0] if lines else b""
    if not sys.stdin.isatty():
        raise UserError(N_("Give the passphrase with --passphrase-file."))
    first = getpass.getpass(_("Passphrase of the authority's key: "))
    if twice and getpass.getpass(_("The same passphrase again: ")) != first:
        raise UserError(N_("The two passphrases differ."))
    return first.encode("utf-8")


def _approver(args: argparse.Namespace) -> Approver:
    from models.trust_admin import Approver

    if args.key_file is None:
        return Approver()
    return Approver(args.key_file, _passphrase(args.passphrase_file))


def _cmd_trust_init(args: argparse.Namespace) -> int:
    from models.core.keytext import encode_key
    from models.trust_admin import create_authority, grant_line

    settings = _settings(args)
    if not settings.user_name:
        raise UserError(N_("Set this PC up first (the person at it): start CrisisDesk once."))
    passphrase = _passphrase(args.passphrase_file, twice=True)
    db = _open(args)
    try:
        me = create_authority(db, args.key_file, passphrase, person=settings.user_name,
                              role=settings.role)
    finally:
        db.close()
    assert me.grant is not None
    print(_("Office authority created: code {code}; its key is in {path}. Keep the file "
            "and its passphrase apart, off this PC.").format(code=me.authority_code,
                                                              path=args.key_file))
    print(_("This PC is the authority's PC: {grant}").format(grant=grant_line(me.grant)))
    print(_("For IT's defaults file, so that every PC trusts this authority and no other: "
            "\"authority\": \"{key}\"").format(key=encode_key(me.state.authority or b"")))
    return EXIT_OK


def _cmd_trust_code(args: argparse.Namespace) -> int:
    from models.sync.enrolment import load_me

    db = _open(args)
    try:
        with db.reading() as connection:
            print(load_me(connection).code)
    finally:
        db.close()
    return EXIT_OK


def _cmd_trust_approve(args: argparse.Namespace) -> int:
    from models.trust_admin import approve_pc, grant_line

    approver = _approver(args)
    db = _open(args)
    try:
        grant = approve_pc(db, args.folder, args.code, person=args.person, login=args.login,
                           role=args.role, posts=args.post, approver=approver)
    finally:
        db.close()
    print(_("Approved {code}: {grant}").format(code=grant.code, grant=grant_line(grant)))
    return EXIT_OK


def _cmd_trust_revoke(args: argparse.Namespace) -> int:
    from models.sync.trust import normal_code
    from models.trust_admin import revoke_pc

    approver = _approver(args)
    db = _open(args)
    try:
        what = revoke_pc(db, args.folder, args.code, approver)
    finally:
        db.close()
    print(_("Revoked {code}: {grant}").format(code=normal_code(args.code), grant=what))
    return EXIT_OK


def _cmd_trust_list(args: argparse.Namespace) -> int:
    from models.sync.enrolment import load_me
    from models.trust_admin import describe_trust

    db = _open(args)
    try:
        with db.reading() as connection:
            print("\n".join(describe_trust(load_me(connection))))
    finally:
        db.close()
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from models.drills.paper import check_paper

    db = _open(args)
    try:
        checked = check_paper(db, args.code)
    finally:
        db.close()
    print("\n".join(checked.described))
    return EXIT_OK if checked.genuine_and_current else EXIT_FAILED


def _data_dir(args: argparse.Namespace) -> Path:
    from models.org.settings import default_data_dir

    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _settings(args: argparse.Namespace) -> Settings:
    """This data folder's settings, or the defaults (Keelung, Taipei time) before first run,
    with what could still be read of a damaged settings file."""
    from models.org.settings import Settings, read_settings

    return read_settings(_data_dir(args)).usable(Settings())


def _open(args: argparse.Namespace) -> Database:
    from models.startup import open_data_dir

    return open_data_dir(_data_dir(args), _settings(args).office_code)


def _cmd_check(args: argparse.Namespace) -> int:
    from models.admin import check, check_log

    db = _open(args)
    try:
        results = check(db)
    finally:
        db.close()
    results.append(check_log(_data_dir(args)))
    for result in results:
        mark = "OK  " if result.ok and not result.warning else ("WARN" if result.ok else "FAIL")
        print(f"[{mark}] {result.name}: {result.detail}")
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from models.schema import RULES
    from models.sync.audit import verify_history

    db = _open(args)
    try:
        report = verify_history(db, RULES)
    finally:
        db.close()
    for finding in report.findings:
        print(finding.message())
    if report.more:
        print(ngettext("… and {count} more finding", "… and {count} more findings",
                       report.more).format(count=report.more))
    if report.refused:
        print(_("Changes refused by the office's rules, kept as evidence and never applied:"))
        for refusal in report.refused:
            print("  " + refusal.message())
        if report.refused_more:
            print("  " + ngettext("… and {count} more refused change",
                                  "… and {count} more refused changes",
                                  report.refused_more).format(count=report.refused_more))
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_FAILED


def _cmd_playbook_export(args: argparse.Namespace) -> int:
    from models.org.settings import export_target
    from models.playbook.store import export_playbook_file

    replaced = export_target(_data_dir(args), args.file)  # refused before the database opens
    db = _open(args)
    try:
        export_playbook_file(db, args.file)
    finally:
        db.close()
    print(_("Playbook written to {path}").format(path=args.file))
    _say_replaced(replaced)
    return EXIT_OK


def _say_replaced(replaced: bool) -> None:
    """An export replaced a file that was there (exporting twice to one file is ordinary,
    but never silent)."""
    if replaced:
        print(_("It replaced the file that was there."))


def _actor(args: argparse.Namespace, db: Database) -> Actor:
    """Who acts on the command line: the person and role the office enrolled this PC for
    (--user and --role cannot change them); on a PC not enrolled, --user/--role, else this
    PC's settings, or what passed its checks in a damaged settings file (a name or role that
    did not is not guessed)."""
    from models.org.people import Actor, Role
    from models.org.settings import read_settings
    from models.trust_admin import standing

    grant = standing(db).grant
    if grant is not None:
        if (args.user or grant.person) != grant.person or (
                args.role or grant.role.value) != grant.role.value:
            raise UserError(N_("This PC is enrolled for {person} as {role}: --user and --role "
                               "cannot change who acts."), person=grant.person,
                            role=grant.role.label)
        return grant.actor()

    saved = read_settings(_data_dir(args))
    known = (vars(saved.settings) if saved.settings is not None
             else saved.damaged.kept if saved.damaged is not None else {})
    name = args.user or known.get("user_name", "")
    try:
        role = Role(args.role) if args.role else known.get("role")
    except ValueError:
        raise UserError(N_("Unknown role '{role}'. Use one of: {roles}."), role=args.role,
                        roles=", ".join(r.value for r in Role)) from None
    if not name or role is None:
        raise UserError(N_("Say who is importing: set the app up first, or pass --user and --role."))
    return Actor.declared(name, role)



def _cmd_playbook_import(args: argparse.Namespace) -> int:
    from models.playbook.store import import_playbook_file

    db = _open(args)
    try:
        actor = _actor(args, db)
        info = import_playbook_file(db, actor, args.file,
                                    args.reason or _("Imported from {file}").format(
                                        file=args.file.name))
    finally:
        db.close()
    print(_("Playbook imported as version {number}.").format(number=info.number))
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from models.admin import backup

    db = _open(args)
    try:
        target = backup(db, args.dir)
    finally:
        db.close()
    print(_("Backup written to {path}").format(path=target))
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    """Works on the file, never opens it as the app does: the database in use may be the
    damaged one being replaced."""
    from models.storage.backups import restore

    done = restore(_data_dir(args), args.backup)
    if done.set_aside is not None:
        print(_("The database in use was kept as {path}").format(path=done.set_aside))
    print(_("Restored {backup} as {path}").format(backup=done.backup, path=done.database))
    if done.older:
        print(_("It was made by an older version of CrisisDesk and will be upgraded when "
                "CrisisDesk next opens it."))
    return EXIT_OK


def _cmd_export_json(args: argparse.Namespace) -> int:
    from models.admin import export_json
    from models.org.settings import export_target

    replaced = export_target(_data_dir(args), args.file)  # refused before the database opens
    db = _open(args)
    try:
        count = export_json(db, args.file)
    finally:
        db.close()
    print(ngettext("{count} record written to {path}", "{count} records written to {path}",
                   count).format(count=count, path=args.file))
    _say_replaced(replaced)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from models.incidents.case_import import load_demo
    from models.org.people import Actor, Role
    from models.playbook.shipped import SYSTEM

    db = _open(args)
    try:
        result = load_demo(db, Actor(name=SYSTEM, role=Role.PLANNING), _settings(args).office_code)
    finally:
        db.close()
    print(_("Example cases loaded: {added}; already there: {skipped}.").format(
        added=result.added, skipped=result.skipped))
    return EXIT_OK


def _cmd_cases_export(args: argparse.Namespace) -> int:
    from models.incidents.print import export_case_files

    settings = _settings(args)
    db = _open(args)
    try:
        written = export_case_files(db, settings.office_code, args.out, settings.timezone,
                                    odf=args.odf)
    finally:
        db.close()
    _warn_missing_glyphs(written)
    print(ngettext("{count} case file written to {path}", "{count} case files written to {path}",
                   len(written)).format(count=len(written), path=args.out))
    return EXIT_OK


def _cmd_cases_import(args: argparse.Namespace) -> int:
    from models.incidents.case_import import import_cases_file

    db = _open(args)
    try:
        actor = _actor(args, db)
        result = import_cases_file(db, actor, _settings(args).office_code, args.file)
    finally:
        db.close()
    print(_("Cases imported: {added}; already in the archive: {skipped}.").format(
        added=result.added, skipped=result.skipped))
    return EXIT_OK


def _cmd_forms_sample(args: argparse.Namespace) -> int:
    from models.core.form_files import write_form
    from models.samples import sample_forms

    args.out.mkdir(parents=True, exist_ok=True)
    forms = sample_forms(_settings(args).timezone)
    written = [write_form(args.out / f"{stem}.pdf", doc, odf=args.odf)
               for stem, doc in forms.items()]
    _warn_missing_glyphs(written)
    print(ngettext("{count} sample form written to {path}",
                   "{count} sample forms written to {path}", len(written)).format(
        count=len(written), path=args.out))
    return EXIT_OK


def _cmd_forms_export(args: argparse.Namespace) -> int:
    from i18n.roc import RocDateError, parse_roc_month
    from models.drills.export import export_month_forms

    try:
        month = parse_roc_month(args.month)
    except RocDateError as exc:
        raise UserError(N_("--month: {problem}"), problem=exc.translated()) from None
    settings = _settings(args)
    db = _open(args)
    try:
        written = export_month_forms(db, settings.office_code, month, args.out,
                                     settings.timezone, odf=args.odf)
    finally:
        db.close()
    _warn_missing_glyphs(written)
    print(ngettext("{count} form written to {path}", "{count} forms written to {path}",
                   len(written)).format(count=len(written), path=args.out))
    return EXIT_OK


def _roc_year(text: str) -> int:
    """A ROC year as typed ("115"), the Gregorian year it is; argparse names a bad one."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 300:
        raise argparse.ArgumentTypeError(_("not a ROC year such as 115: {text}").format(
            text=text[:20]))
    return int(text) + 1911


def _cmd_report_annual(args: argparse.Namespace) -> int:
    from models.drills.kinds import taipei_today
    from models.review.report import load_review, write_review

    if args.out.suffix.lower() not in (".pdf", ".odt", ".ods", ".csv"):
        raise UserError(N_("--out: the file must end in .pdf, .odt, .ods or .csv"))
    today = taipei_today()
    if args.year > today.year:
        raise UserError(N_("--year: ROC year {year} has not begun"),
                        year=str(args.year - 1911))
    settings = _settings(args)
    db = _open(args)
    try:
        doc = load_review(db, settings.office_code, args.year, today, settings.timezone)
    finally:
        db.close()
    written = write_review(doc, args.out)
    if written is not None:
        _warn_missing_glyphs([written])
    print(_("Written to {path}").format(path=args.out))
    return EXIT_OK


def _warn_missing_glyphs(written: Sequence[WrittenForm]) -> None:
    """Name on stderr each character a written form prints as 〓, with its file and field; the
    file stays written and the exit code 0 (a name can be corrected by hand on the paper)."""
    from forms.coverage import describe
    from forms.fonts import MISSING_GLYPH

    for form in written:
        for missing in form.missing:
            print(_("Warning: {file}: {missing} (not in the form's font, printed as {mark})")
                  .format(file=form.path, missing=describe(missing), mark=MISSING_GLYPH),
                  file=sys.stderr)


def _cmd_sync(args: argparse.Namespace) -> int:
    import time

    from models.org.units import unit_name_zh
    from models.schema import RULES
    from models.sync.report_json import stopped, write_report
    from models.sync.run import sync_once
    from models.sync.status import describe, exit_code, log_report

    settings = _settings(args)
    configured = settings.share_folder
    folder = args.folder or (Path(configured) if configured else None)
    if folder is None:
        raise UserError(N_("No shared folder: give --folder or set one in Settings."))
    person = settings.user_name if args.person is None else args.person
    unit_key = settings.unit_key if args.unit is None else args.unit
    role = args.role or settings.role
    try:
        db = _open(args)
    except UserError as exc:  # damaged, refused, disk full: the window says it in its status
        if args.report is None:
            raise
        log.warning("sync with %s refused: %s", folder, exc.message())
        report = stopped(folder, exc.message())
        log_report(report)
        write_report(args.report, report)
        return exit_code(report)
    try:
        while True:
            report = sync_once(db, folder, RULES, person=person,
                               unit=unit_name_zh(db, settings.office_code, unit_key), role=role)
            log_report(report)
            if args.report is not None:
                write_report(args.report, report)
            print("\n".join(describe(report)), flush=True)
            if not args.watch:
                return exit_code(report)
            try:
                time.sleep(max(args.interval, 1.0))
            except KeyboardInterrupt:
                return exit_code(report)
    except KeyboardInterrupt:
        return EXIT_FAILED
    finally:
        db.close()

def _cmd_selftest(args: argparse.Namespace) -> int:
    from ui.selftest import run_selftest

    return run_selftest(args.data_dir, args.screenshot, args.timeout)


def main(argv: Sequence[str] | None = None) -> int:
    from models.core.logs import install_excepthooks, start_logging, stop_logging
    from models.org.settings import Settings, default_data_dir, read_settings

    where = _python_and_platform()
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):  # a console or file that cannot show Chinese
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    # The language must be known before --help is formatted, so peek at --data-dir first.
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--data-dir", type=Path)
    known, _rest = peek.parse_known_args(argv)
    data_dir = known.data_dir or default_data_dir()
    saved = read_settings(data_dir)
    set_language(saved.usable(Settings()).language)
    args = parse_arguments(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    root_level = logging.getLogger().level
    log_file = start_logging(data_dir, debug=args.debug)
    restore_hooks = install_excepthooks(
        lambda: print(_unexpected(log_file), file=sys.stderr, flush=True))
    try:
        command = " ".join(argv) or "(window)"
        log.info("%s %s started: %s; data folder %s; Python %s on %s", APP_NAME, VERSION,
                 command, data_dir, *where())
        code = EXIT_FAILED
        try:
            if saved.unreadable is not None and run is not None:  # the window: in a box
                raise saved.unreadable
            if saved.damaged is not None:
                log.warning("%s", saved.damaged.message())
                if run is not None:  # the window says it in its first-run dialog
                    print(_("Warning: {problem} Until the settings are saved again in the "
                            "window, commands use what could still be read and the "
                            "defaults.").format(problem=saved.damaged.message()),
                          file=sys.stderr)
            if run is None:
                from ui.runtime.feature_scan import skip_feature_scan

                skip_feature_scan()
                from ui.app import run_gui
                from ui.runtime.language import PSEUDO_VARIABLE

                if args.pseudo:
                    os.environ[PSEUDO_VARIABLE] = "1"
                code = run_gui(args.data_dir, saved)  # not read twice before the show
            else:
                code = run(args)
        except UserError as exc:
            log.warning("%s refused: %s", command, exc.message())
            print(_("Error: {message}").format(message=exc.message()), file=sys.stderr)
        except OSError as exc:  # e.g. --data-dir names a file, or a folder without permission
            log.warning("%s failed", command, exc_info=True)
            print(_("Error: {message}").format(message=_os_error(exc).message()),
                  file=sys.stderr)
        except KeyboardInterrupt:
            log.info("interrupted (Ctrl+C)")
        except Exception:
            log.exception("%s failed unexpectedly", command)
            print(_unexpected(log_file), file=sys.stderr)
        log.info("stopped with exit code %s", code)
        return code
    finally:
        # What main() installed goes when it returns: a caller in the same process (a test)
        # keeps Python's own hooks and its logging as they were.
        restore_hooks()
        stop_logging()
        logging.getLogger().setLevel(root_level)


def _python_and_platform() -> Callable[[], tuple[str, str]]:
    """The Python version and the system (name, release, machine) for the log's first line;
    the function returned gives them.

    A POSIX kernel answers at once (os.uname). Windows answers from its registry or WMI, so
    there they are worked out on a thread while main() reads the settings and sets up the
    log, and the function returned waits for them. Not platform.platform(): it also asks for
    the processor, which on Linux runs ``uname -p`` in a subprocess (the module subprocess
    alone took 16 ms to import, competing with the window's start for the interpreter)."""
    python = sys.version.split()[0]
    if hasattr(os, "uname"):
        system = os.uname()
        return lambda: (python, f"{system.sysname} {system.release} {system.machine}")
    found: list[tuple[str, str]] = []

    def work() -> None:
        import platform

        system = platform.uname()
        found.append((python, f"{system.system} {system.release} {system.version} "
                              f"{system.machine}"))  # Windows 11 10.0.22631 AMD64

    thread = threading.Thread(target=work, name="platform", daemon=True)
    thread.start()

    def result() -> tuple[str, str]:
        thread.join()
        return found[0] if found else ("?", "?")  # its error went to threading.excepthook

    return result


def _os_error(exc: OSError) -> UserError:
    """An OSError the command did not expect, naming the path, with the system's reason in
    the user's language (its own text is English on most PCs)."""
    if exc.filename:
        return UserError(N_("Cannot use {path}: {reason}"), path=str(exc.filename),
                         reason=os_reason(exc))
    return UserError(N_("A file or folder cannot be used: {reason}"), reason=os_reason(exc))


def _unexpected(log_file: Path | None) -> str:
    """What the console shows of an unexpected error: where the details are."""
    if log_file is None:
        return _("Error: CrisisDesk ran into an unexpected problem. Run the command again "
                 "with --debug to see the details.")
    return _("Error: CrisisDesk ran into an unexpected problem. The details are in "
             "{path} (or run the command again with --debug).").format(path=log_file)


if __name__ == "__main__":
    sys.exit(main())
