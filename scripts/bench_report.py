"""How the ticket benchmarks print their runs and the comparison table."""

ROW = (
    "{system:<20} {path:<14} {mode:<8} {tickets:>6} {batch:>5} {rate:>9} {ratio:>6} "
    "{load}"
)
NOTES = """\
ratio: aftersales_service tickets/s / helpdesk_mgmt tickets/s, same path, mode and N
  (mode ack is compared with helpdesk_mgmt default: helpdesk_mgmt sends no ack email).
default: the real path (chatter, followers, assignment notice, the New stage's
  acknowledgement queued), stage_id not in the values; ack: default plus stage_id in
  the values, as the form view sends it; notrack: context tracking_disable=True.
load: 1-minute load average before-after the run."""


def print_run(result):
    extra = ""
    cpu = result.get("cpu_seconds")
    if "assigned" in result:
        extra = (
            f"; {result['assigned']} assigned, {result['messages']} messages, "
            f"{result['followers']} followers, {result['emails_queued']} emails "
            f"queued ({result['assignment_notices']} assignment notices)"
        )
    print(
        f"  {result['system']} | {result['path']} | {result['mode']} | "
        f"N={result['tickets']} batch={result['batch']} | {result['seconds']:.2f} s"
        + (f" (Odoo CPU {cpu:.2f} s)" if cpu is not None else "")
        + f" | {result['tickets_per_s']:.1f} tickets/s | load "
        f"{result['load'][0]:.2f} -> {result['load'][1]:.2f}{extra}",
        flush=True,
    )


def ratio(result, results, ours="aftersales_service", theirs="helpdesk_mgmt (OCA)"):
    """Our tickets/s over helpdesk_mgmt's on the same path, mode and count."""
    if result["system"] != ours:
        return ""
    mode = "default" if result["mode"] == "ack" else result["mode"]
    for other in results:
        if (other["system"], other["path"], other["mode"], other["tickets"]) == (
            theirs,
            result["path"],
            mode,
            result["tickets"],
        ):
            return f"{result['tickets_per_s'] / other['tickets_per_s']:.2f}x"
    return ""


def print_table(results, skipped):
    header = {
        "system": "system",
        "path": "path",
        "mode": "mode",
        "tickets": "N",
        "batch": "batch",
        "rate": "tickets/s",
        "ratio": "ratio",
        "load": "load",
    }
    print("\n" + "=" * 88)
    print(ROW.format(**header))
    print("-" * 88)
    for r in results:
        print(
            ROW.format(
                system=r["system"],
                path=r["path"],
                mode=r["mode"],
                tickets=r["tickets"],
                batch=r["batch"],
                rate=f"{r['tickets_per_s']:.1f}",
                ratio=ratio(r, results),
                load=f"{r['load'][0]:.2f}-{r['load'][1]:.2f}",
            )
        )
    print("-" * 88)
    print(NOTES)
    if skipped:
        print(f"comparison skipped: {skipped}")
