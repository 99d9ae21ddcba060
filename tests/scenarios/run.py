#!/usr/bin/env python3
"""run.py: the incident scenarios of tests/scenarios/*.yaml, each on four layouts.

A scenario is a few real-format lines of one incident and what an L3
engineer should read first:

    title: what happened
    root: oom-kill                   # the expected first root cause, or none:
                                     # a healthy host, no high or critical root
    symptoms: [unit-failed-signal]   # explained by it (directly or via a chain)
    absent: [process-segfault]       # rules that must not fire
    zone: Europe/Berlin              # optional: the host's zone (its logs'
                                     # local time); the default is UTC
    streams:
      kernel: |                      # the kernel's lines, syslog format
        Nov 20 03:12:09 db1 kernel: ...
      daemon: |                      # services' lines, syslog format
        Nov 20 03:12:10 db1 systemd[1]: ...
      df: |                          # any catalogue source, by name
        Filesystem ...

Each scenario is placed into:
  directory      a host tree: kernel in var/log/kern.log, services in
                 var/log/syslog, files at their paths (command output has no
                 place in a plain tree: such scenarios are not applicable)
  casefile       a bundle collected on this machine by `casefile collect`,
                 its logs emptied, the lines put in, packed again (.tar.gz)
  sosreport      the sosreport `sos report --batch` made on this machine
                 (tests/e2e/t0110 caches it), its logs emptied likewise
  supportconfig  a supportconfig-shaped archive (scc_*.txz): the lines in
                 messages.txt's /var/log/messages section (SLES's RFC 3339
                 stamps, with the zone's offset), command output in its section

A zone is put where each layout keeps it: a directory's etc/localtime (a
link into /usr/share/zoneinfo) and etc/timezone; a casefile bundle's
commands/timezone (what `readlink -f /etc/localtime` printed) and
commands/timedatectl; a sosreport's etc/localtime (a relative link to the
zoneinfo file, copied beside it, as sos stores links) and
sos_commands/systemd/timedatectl; supportconfig's timedatectl section in
systemd.txt. The report must name the zone.

and analyzed with --format json, by each casefile given (the inputs are
built once: several builds, such as the ASan one, read the same). The first root cause that was not there
before the lines were put in must be `root`; each symptom must be explained
by it. `root: none` wants no such root cause above low severity (a root
counts with the highest severity it explains). Prints TAP lines and a
summary; exits 1 when any is wrong.

usage: run.py CASEFILE[:CASEFILE...] RULES_DIR SCENARIO_DIR WORK_DIR [SOSREPORT]
"""
import concurrent.futures
import glob
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import yaml

MONTHS = {m: i + 1 for i, m in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
SEVERITY = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
COLLECTED = datetime(2026, 11, 20, 3, 30, 1, tzinfo=timezone.utc)  # supportconfig's date
BASE_FILE_MAX = 1 << 20
LOG_SOURCES = ("var/log", "commands/journal", "commands/journal_prev",
               "commands/kernel_log", "commands/systemd_errors",
               "sos_commands/logs", "sos_commands/kernel/dmesg")


def concrete(glob_path):
    return glob_path.replace("*", "x").replace("?", "x").lstrip("/")


def where(src, layout):
    """(file relative to the top, section label or None), or None: no place."""
    if layout == "supportconfig":
        if not src.get("supportconfig"):
            return None
        f, label = src["supportconfig"][0].split(":", 1)
        return f, concrete(label) if not label.startswith("/") else "/" + concrete(label)
    if layout == "sosreport" and src.get("sos"):
        return concrete(src["sos"][0]), None
    if src.get("files"):
        return concrete(src["files"][0]), None
    if layout == "casefile":
        return "commands/" + src["name"], None
    return None


def local_time(line, year, zone):
    """The local time a syslog line starts with ('Nov 20 03:12:09 host ...')."""
    mon, day, hms = line[:3], int(line[4:6]), line[7:15]
    h, m, sec = (int(x) for x in hms.split(":"))
    return datetime(year, MONTHS[mon], day, h, m, sec, tzinfo=ZoneInfo(zone))


def rfc3339(line, year, zone):
    """'Nov 20 03:12:09 host ...' as SLES's rsyslog writes it; RFC 3339 lines stay."""
    if line[:1].isdigit():
        return line
    t = local_time(line, year, zone)
    return t.isoformat(timespec="microseconds") + line[15:]


def instant(line, year, zone):
    """A log line's time as UTC seconds, for sorting syslog and RFC 3339 lines together."""
    if line[:1].isdigit():
        return datetime.fromisoformat(line.split(" ", 1)[0]).timestamp()
    return local_time(line, year, zone).timestamp()


def timedatectl(zone):
    """timedatectl status of a host in zone, at the collection time."""
    t = COLLECTED.astimezone(ZoneInfo(zone))
    off = t.strftime("%z")
    return ("               Local time: %s\n"
            "           Universal time: %s\n"
            "                 RTC time: %s\n"
            "                Time zone: %s (%s, %s)\n"
            "System clock synchronized: yes\n"
            "              NTP service: active\n"
            "          RTC in local TZ: no\n"
            % (t.strftime("%a %Y-%m-%d %H:%M:%S %Z"),
               COLLECTED.strftime("%a %Y-%m-%d %H:%M:%S UTC"),
               COLLECTED.strftime("%a %Y-%m-%d %H:%M:%S"), zone, t.strftime("%Z"), off))


def place_zone(over, layout, zone):
    """The host's zone where this layout keeps it (see the module's comment),
    into over: rel -> ("file", bytes) or ("link", target)."""
    if layout == "directory":
        over["etc/localtime"] = ("link", "/usr/share/zoneinfo/" + zone)
        over["etc/timezone"] = ("file", (zone + "\n").encode())
    elif layout == "casefile":
        over["commands/timezone"] = ("file", ("/usr/share/zoneinfo/%s\n" % zone).encode())
        over["commands/timedatectl"] = ("file", timedatectl(zone).encode())
    elif layout == "sosreport":
        with open(os.path.join("/usr/share/zoneinfo", zone), "rb") as f:
            over["usr/share/zoneinfo/" + zone] = ("file", f.read())
        over["etc/localtime"] = ("link", "../usr/share/zoneinfo/" + zone)
        over["sos_commands/systemd/timedatectl"] = ("file", timedatectl(zone).encode())


def write_tree(top, over):
    """A directory: the overlay's files and links written under top."""
    for rel, (kind, value) in over.items():
        path = os.path.join(top, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if kind == "link":
            os.symlink(value, path)
        else:
            with open(path, "wb") as f:
                f.write(value)


def load_base(top):
    """A base tree in memory, as tar members under its folder's name: (TarInfo, bytes)."""
    mem = io.BytesIO()
    with tarfile.open(fileobj=mem, mode="w") as t:
        t.add(top, arcname=os.path.basename(top))
    mem.seek(0)
    members = []
    with tarfile.open(fileobj=mem, mode="r") as t:
        for ti in t:
            members.append((ti, t.extractfile(ti).read() if ti.isfile() else None))
    return members


def pack(out, name, base, over):
    """A .tar.gz of the base's members (held in memory: nothing is copied on
    disk for each scenario) with the overlay's files and links in their place."""
    now = time.time()
    links = {ti.name.partition("/")[2]: ti.linkname for ti, _ in base if ti.issym()}

    def through(rel):
        """rel written through the base's links to folders, as a file system
        would (a sosreport's proc/net is a link to self/net)"""
        for _ in range(16):
            parts = rel.split("/")
            for i in range(1, len(parts)):
                target = links.get("/".join(parts[:i]))
                if target is not None and not target.startswith("/"):
                    rel = os.path.normpath(os.path.join("/".join(parts[:i - 1]), target,
                                                        *parts[i:]))
                    break
            else:
                return rel
        return rel

    over = {through(rel): v for rel, v in over.items()}
    with tarfile.open(out, "w:gz", compresslevel=1) as t:
        for ti, data in base:
            rel = ti.name.partition("/")[2]
            if rel not in over:
                t.addfile(ti, io.BytesIO(data) if data is not None else None)
        for rel, (kind, value) in over.items():
            ti = tarfile.TarInfo(name + "/" + rel)
            ti.mtime, ti.mode = now, 0o644
            if kind == "link":
                ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, value, 0o777
                t.addfile(ti)
            else:
                ti.size = len(value)
                t.addfile(ti, io.BytesIO(value))


def empty_logs(top):
    for rel in LOG_SOURCES:
        p = os.path.join(top, rel)
        if os.path.isdir(p) and not os.path.islink(p):
            for dirpath, _, files in os.walk(p):
                for f in files:
                    fp = os.path.join(dirpath, f)
                    if os.path.isfile(fp) and not os.path.islink(fp):
                        open(fp, "w").close()
        elif os.path.isfile(p) and not os.path.islink(p):
            open(p, "w").close()


def unpack(archive, into):
    os.makedirs(into)
    subprocess.run(["tar", "xf", archive, "-C", into], check=True)
    tops = os.listdir(into)
    top = os.path.join(into, tops[0]) if len(tops) == 1 else into
    # what no scenario reads and every archive would carry (proc/kallsyms: 5 MB)
    for dirpath, _, files in os.walk(top):
        for f in files:
            fp = os.path.join(dirpath, f)
            if not os.path.islink(fp) and os.path.getsize(fp) > BASE_FILE_MAX:
                os.unlink(fp)
    return top


class Layouts:
    def __init__(self, casefile, work, sos):
        self.casefile, self.work = casefile, work   # the first build collects the base
        self.bases = {"directory": None, "supportconfig": None}
        os.makedirs(work, exist_ok=True)
        coll = os.path.join(work, "collected")
        os.makedirs(coll)
        subprocess.run([casefile, "collect", "-q", "-o", coll], check=True,
                       stdout=subprocess.DEVNULL)
        bundle = glob.glob(os.path.join(coll, "*.tar.gz"))[0]
        self.bases["casefile"] = unpack(bundle, os.path.join(work, "base-casefile"))
        empty_logs(self.bases["casefile"])
        if sos and os.path.exists(sos):
            self.bases["sosreport"] = unpack(sos, os.path.join(work, "base-sos"))
            empty_logs(self.bases["sosreport"])
        self.members = {l: load_base(b) for l, b in self.bases.items() if b}

    def names(self):
        wanted = os.environ.get("SCENARIO_LAYOUTS", "directory,casefile,sosreport,supportconfig")
        return [l for l in ("directory", "casefile", "sosreport", "supportconfig")
                if l in self.bases and l in wanted.split(",")]

    def build(self, layout, streams, sources, dest, zone=None):
        """The scenario's input in this layout, or None when a stream has no place."""
        base = self.bases[layout]
        tz = zone or "UTC"
        top = os.path.join(dest, "scc_db1_261120_0330" if layout == "supportconfig"
                           else os.path.basename(base) if base else "host")
        files = {}   # rel -> list of (label or None, text)
        for name, text in streams.items():
            if name in ("kernel", "daemon"):
                if layout == "supportconfig":
                    loc = ("messages.txt", "/var/log/messages")
                else:
                    loc = ("var/log/kern.log" if name == "kernel" else "var/log/syslog", None)
            else:
                loc = where(sources[name], layout)
                if loc is None:
                    return None
            files.setdefault(loc, []).append(text)
        if layout != "supportconfig":
            over = {rel: ("file", "".join(texts).encode()) for (rel, _), texts in files.items()}
            if zone:
                place_zone(over, layout, zone)
            if not base:
                os.makedirs(top)
                write_tree(top, over)
                return top
            out = top + ".tar.gz"
            pack(out, os.path.basename(top), self.members[layout], over)
            return out
        os.makedirs(top)
        for (rel, label), texts in files.items():
            text = "".join(texts)
            if label == "/var/log/messages":
                lines = sorted(text.splitlines(True), key=lambda l: instant(l, 2026, tz))
                text = "".join(rfc3339(l, 2026, tz) for l in lines)
            kind = "Log File" if label.startswith("/") else "Command"
            text = "#==[ %s ]=====#\n# %s\n%s\n" % (kind, label, text)
            path = os.path.join(top, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "a") as f:
                f.write(text)
        with open(os.path.join(top, "basic-environment.txt"), "a") as f:
            f.write("#==[ Command ]=====#\n# /bin/date\n%s\n"
                    % COLLECTED.astimezone(ZoneInfo(tz)).strftime("%a %b %d %H:%M:%S %Z %Y"))
        if zone:
            with open(os.path.join(top, "systemd.txt"), "a") as f:
                f.write("#==[ Command ]=====#\n# /usr/bin/timedatectl --no-pager status\n%s\n"
                        % timedatectl(zone))
        out = top + ".txz"
        with tarfile.open(out, "w:xz", preset=0) as t:
            t.add(top, arcname=os.path.basename(top))
        return out

    def analyze(self, path, casefile):
        r = subprocess.run([casefile, "analyze", "-j", "1", "--format", "json", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode == 3 and b"nothing to analyze" in r.stderr:
            return None  # the layout holds no file of the scenario's sources
        if r.returncode not in (0, 1):
            raise RuntimeError("analyze exit %d: %s" % (r.returncode, r.stderr.decode()))
        return json.loads(r.stdout)


def explained_by_chain(report, rule, root):
    """Is rule explained by root, directly or through other symptoms?"""
    by = {f["rule"]: f.get("explained_by", []) for f in report["findings"]}
    seen, todo = set(), [rule]
    while todo:
        r = todo.pop()
        for c in by.get(r, []):
            if c == root:
                return True
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return False


def worst(report, root):
    """The highest severity a root explains, itself included, however deep."""
    by = {f["rule"]: f for f in report["findings"]}
    seen, todo, high = set(), [root], 0
    while todo:
        r = todo.pop()
        if r in seen or r not in by:
            continue
        seen.add(r)
        high = max(high, SEVERITY[by[r]["severity"]])
        todo.extend(by[r].get("explains", []))
    return high


def judge(sc, report, baseline):
    roots = [r for r in report["root_causes"] if r not in baseline or r == sc["root"]]
    fired = {f["rule"] for f in report["findings"]}
    if sc.get("zone") and report["bundle"].get("timezone") != sc["zone"]:
        return "zone %s, not %s" % (report["bundle"].get("timezone"), sc["zone"])
    if sc["root"] == "none":
        # a healthy host: no root cause of high or critical severity (issue 21)
        bad = [r for r in roots if worst(report, r) >= SEVERITY["high"]]
        if bad:
            return "root cause %s on a healthy host" % ", ".join(bad)
    elif not roots or roots[0] != sc["root"]:
        return "first root cause %s, not %s" % (roots[0] if roots else "none", sc["root"])
    for s in sc.get("symptoms", []):
        if s not in fired:
            return "symptom %s did not fire" % s
        if not explained_by_chain(report, s, sc["root"]):
            return "symptom %s is not under %s" % (s, sc["root"])
    for a in sc.get("absent", []):
        if a in fired:
            return "%s fired" % a
    return None


def main():
    casefiles, rules_dir, sc_dir, work = sys.argv[1:5]
    casefiles = casefiles.split(os.pathsep)
    # each build by the folder it is in ("build", "build/asan") when there are several
    label = {cf: "" if len(casefiles) == 1 else
             " [%s]" % os.path.relpath(os.path.dirname(cf)) for cf in casefiles}
    sos = sys.argv[5] if len(sys.argv) > 5 else None
    with open(os.path.join(rules_dir, "sources.yaml")) as f:
        sources = {s["name"]: s for s in yaml.safe_load(f)["sources"]}
    scenarios = []
    for p in sorted(glob.glob(os.path.join(sc_dir, "*.yaml"))):
        with open(p) as f:
            sc = yaml.safe_load(f)
        sc["file"] = os.path.basename(p)
        for name in sc["streams"]:
            if name not in ("kernel", "daemon") and name not in sources:
                sys.exit("%s: stream '%s' is no source of the catalogue" % (p, name))
        scenarios.append(sc)
    lay = Layouts(casefiles[0], work, sos)
    baseline = {}
    for layout in lay.names():
        d = os.path.join(work, "baseline-" + layout)
        os.makedirs(d)
        path = lay.build(layout, {"daemon": "Nov 20 00:00:00 db1 cron[1]: (root) CMD (true)\n"},
                         sources, d)
        for cf in casefiles:
            baseline[layout, cf] = set(lay.analyze(path, cf)["root_causes"])
    names = lay.names()
    jobs = [(sc, layout) for sc in scenarios for layout in names]

    def wanted(k, i):
        """The first build analyzes every input; the others (the ASan build:
        slow, and its findings the same) each scenario on one layout, in turn,
        so every layout is read by them about as often (SCENARIO_ALL=1: all)."""
        return i == 0 or os.environ.get("SCENARIO_ALL") or \
            k // len(names) % len(names) == k % len(names)

    def run_one(k):
        sc, layout = jobs[k]
        d = os.path.join(work, "%d-%s" % (k, layout))
        os.makedirs(d)
        try:
            path = lay.build(layout, sc["streams"], sources, d, sc.get("zone"))
            out = []
            for i, cf in enumerate(casefiles):
                if not wanted(k, i):
                    out.append(False)
                    continue
                report = None if path is None else lay.analyze(path, cf)
                out.append(None if report is None else judge(sc, report, baseline[layout, cf])
                           or "")
            return out
        finally:
            shutil.rmtree(d, ignore_errors=True)

    # several at once: building archives and analyzing them is most of the time
    workers = int(os.environ.get("SCENARIO_JOBS") or os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run_one, range(len(jobs))))
    n = right = wrong = na = 0
    per = {l: [0, 0] for l in lay.names()}
    for (sc, layout), whys in zip(jobs, results):
        for cf, why in zip(casefiles, whys):
            if why is False:
                continue  # not analyzed by this build (wanted())
            n += 1
            on = "%s on %s%s" % (sc["file"], layout, label[cf])
            if why is None:
                na += 1
                print("ok %d - %s # skip: a stream has no place in this layout" % (n, on))
                continue
            per[layout][1] += 1
            if why:
                wrong += 1
                print("not ok %d - %s: %s" % (n, on, why))
            else:
                right += 1
                per[layout][0] += 1
                print("ok %d - %s" % (n, on))
    print("# %d incidents on %s: %d right, %d wrong, %d not applicable"
          % (len(scenarios), ", ".join("%s %d/%d" % (l, v[0], v[1]) for l, v in per.items()),
             right, wrong, na))
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
