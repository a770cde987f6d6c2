"""A sync run told in words, the same for the status bar's tooltip and the command line."""

from __future__ import annotations

import logging

from i18n import _, ngettext
from models.sync.run import SyncReport

log = logging.getLogger("models.sync.run")

EXIT_IN_SYNC, EXIT_NOT_IN_SYNC, EXIT_UNREACHABLE = 0, 1, 3
"""Exit codes of ``main.py sync`` (2 is argparse's, for a usage error)."""
UNEXPECTED = "unexpected"
"""The error of a run the window's sync thread ended on an exception (logged there)."""


def exit_code(report: SyncReport) -> int:
    if not report.reachable or report.error:
        return EXIT_UNREACHABLE
    return EXIT_IN_SYNC if report.in_sync else EXIT_NOT_IN_SYNC


def headline(report: SyncReport) -> str:
    """One line: the state a user must know first."""
    if report.error == UNEXPECTED:
        return _("The sync stopped because of an unexpected problem. The details are in the "
                 "log for your IT staff: Help ▸ Open the log folder.")
    if report.error == "needs-newer-app":
        return _("This shared folder was set up by a newer version of CrisisDesk: install the "
                 "update to sync.")
    if not report.reachable:
        return _("Shared folder not reachable: {error}").format(error=report.error)
    if report.error:  # this PC's database or disk (sync_once)
        return _("The sync stopped: {error}").format(error=report.error)
    if report.conflicts:
        return ngettext("{n} conflict to decide", "{n} conflicts to decide",
                        report.conflicts).format(n=report.conflicts)
    if report.refused:
        return ngettext("{n} change refused by the office's rules (kept as evidence)",
                        "{n} changes refused by the office's rules (kept as evidence)",
                        len(report.refused)).format(n=len(report.refused))
    if report.waiting:
        return ngettext("{n} file in the shared folder is waiting",
                        "{n} files in the shared folder are waiting", len(report.waiting)).format(n=len(report.waiting))
    if report.unsent_changes:
        return ngettext("{n} change waiting to be sent", "{n} changes waiting to be sent",
                        report.unsent_changes).format(n=report.unsent_changes)
    if report.read_only:
        return _("Read-only: sending changes to this shared folder needs a newer version of "
                 "CrisisDesk.")
    return _("In sync")


def describe(report: SyncReport) -> list[str]:
    """Every line worth reading about a run, headline first."""
    lines = [headline(report), _("Folder: {folder}").format(folder=report.folder)]
    if report.reachable and not report.error:
        lines.append(_("Sent {changes} changes in {segments} files; received {received} "
                       "changes in {received_segments} files.").format(
            changes=report.sent_changes, segments=report.sent_segments,
            received=report.received_changes, received_segments=report.received_segments))
    if report.repaired:
        lines.append(ngettext("{n} file missing from the shared folder was restored.",
                              "{n} files missing from the shared folder were restored.",
                              report.repaired).format(n=report.repaired))
    if report.blobs_sent or report.blobs_received:
        lines.append(_("Attachments: {sent} sent, {received} received.").format(
            sent=report.blobs_sent, received=report.blobs_received))
    if report.new_identity:
        lines.append(_("Another PC was using this PC's sync identity (a copied disk or a "
                       "restored database); this PC now syncs as {device}. Nothing was "
                       "lost.").format(device=report.new_identity))
    lines.extend(_("Refused: {item}").format(item=item) for item in report.refused)
    lines.extend(_("Waiting: {item}").format(item=item) for item in report.waiting)
    if report.skewed:
        lines.append(_("The clock of another PC is more than a day ahead: {devices}").format(
            devices=", ".join(report.skewed)))
    if report.foreign:
        lines.append(_("Ignored files in the shared folder: {names}").format(
            names=", ".join(report.foreign[:10]) + (" …" if len(report.foreign) > 10 else "")))
    return lines


def log_report(report: SyncReport) -> None:
    """One line in the log for each run, from the window and the command line alike: a
    warning when the folder could not be used, else information."""
    failed = bool(report.error) or not report.reachable
    state = (f"not reachable ({report.error})" if not report.reachable
             else f"stopped ({report.error})" if report.error
             else "in sync" if report.in_sync else "not in sync")
    log.log(logging.WARNING if failed else logging.INFO,
            "sync with %s: %s; sent %d changes in %d files, received %d changes in %d files, "
            "%d unsent, %d conflicts, %d waiting, %d refused, %d repaired, %d foreign files",
            report.folder, state, report.sent_changes, report.sent_segments,
            report.received_changes, report.received_segments, report.unsent_changes,
            report.conflicts, len(report.waiting), len(report.refused), report.repaired,
            len(report.foreign))
