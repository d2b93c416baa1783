"""cogtui against the AWS CLI, and the TUI's own timings, on a seeded emulator pool.

Run by scripts/bench; prints one Markdown table. Every figure is measured in this run on this
machine: quote the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request

import boto3
import pyte

ENV = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
ENV.pop("AWS_PROFILE", None)


def seed(endpoint: str, users: int) -> tuple[str, str]:
    idp = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    pool = idp.create_user_pool(PoolName="bench", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="bench")["UserPoolClient"][
        "ClientId"
    ]
    body = json.dumps({"pool": pool, "count": users}).encode()
    request = urllib.request.Request(
        f"{endpoint}/_cogtui/seed", data=body, headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(request, timeout=600).read()
    return pool, client


def measure(cmd: list[str]) -> dict:
    """Time to the first line, wall time, the child's CPU seconds and peak RSS (MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
    assert proc.stdout is not None
    first = None
    lines = 0
    for line in proc.stdout:
        if first is None:
            first = time.perf_counter() - start
        lines += 1
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return {
        "first": first or wall,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "lines": lines,
        "ok": os.waitstatus_to_exitcode(status) == 0,
    }


def proc_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tui(cogtui: str, config: str, users: int) -> dict:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [cogtui, "--config", config, "--log-file", config + ".log"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**ENV, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    # A terminal emulator: ratatui redraws only changed cells, so the screen is assembled here.
    screen = pyte.Screen(100, 30)
    stream = pyte.ByteStream(screen)
    first_frame = all_in = None
    done = f"{users} users loaded"
    deadline = start + 600
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        stream.feed(chunk)
        now = time.perf_counter() - start
        text = "\n".join(screen.display)
        if first_frame is None and "cogtui" in text:
            first_frame = now
        if done in text and "loading page" not in text:
            all_in = now
            break
    rss = proc_rss(proc.pid)
    before = proc_cpu(proc.pid)
    # Keep reading (so the terminal never blocks it) while it should be idle.
    idle_end = time.perf_counter() + 5
    while time.perf_counter() < idle_end:
        if select.select([master], [], [], 0.1)[0]:
            os.read(master, 65536)
    idle_cpu = proc_cpu(proc.pid) - before
    os.write(master, b"q")
    proc.wait(timeout=10)
    os.close(master)
    return {"first_frame": first_frame, "all_in": all_in, "rss": rss, "idle_cpu": idle_cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--cogtui", required=True)
    parser.add_argument("--aws", required=True)
    args = parser.parse_args()

    t = time.perf_counter()
    pool, client = seed(args.endpoint, args.users)
    print(f"seeded {args.users} users in {time.perf_counter() - t:.1f} s (one call)", file=sys.stderr)
    workdir = tempfile.mkdtemp(prefix="cogtui-bench-")
    config = os.path.join(workdir, "config.toml")
    with open(config, "w") as f:
        # 30 calls a second is ListUsers' whole account quota: the AWS CLI does not pace itself,
        # so for a like-for-like run cogtui may use all of it here.
        f.write(
            f'audit_log = "audit.jsonl"\n[pools.bench]\nuser_pool_id = "{pool}"\n'
            f'client_id = "{client}"\nendpoint_url = "{args.endpoint}"\nmax_list_rps = 30\n'
            f"max_users = {max(args.users, 60)}\n"
        )
    status_filter = 'cognito:user_status = "UNCONFIRMED"'
    ours = measure([args.cogtui, "--config", config, "list", "--format", "json"])
    theirs = measure(
        [
            args.aws, "cognito-idp", "list-users", "--user-pool-id", pool, "--filter",
            status_filter, "--endpoint-url", args.endpoint, "--region", "eu-west-1",
            "--output", "json",
        ]
    )
    screen = tui(args.cogtui, config, args.users)

    def ratio(a: float, b: float) -> str:
        return f"{b / a:.1f}x" if a > 0 else "-"

    print(f"\n{args.users} UNCONFIRMED users, emulator on 127.0.0.1 ({os.cpu_count()} cores)\n")
    print("| headless listing | cogtui list --format json | aws cognito-idp list-users | AWS CLI / cogtui |")
    print("|---|---|---|---|")
    print(f"| time to first row | {ours['first']:.2f} s | {theirs['first']:.2f} s | {ratio(ours['first'], theirs['first'])} |")
    print(f"| total wall time | {ours['wall']:.2f} s | {theirs['wall']:.2f} s | {ratio(ours['wall'], theirs['wall'])} |")
    print(f"| client CPU | {ours['cpu']:.2f} s | {theirs['cpu']:.2f} s | {ratio(ours['cpu'], theirs['cpu'])} |")
    print(f"| peak RSS | {ours['rss']:.0f} MiB | {theirs['rss']:.0f} MiB | {ratio(ours['rss'], theirs['rss'])} |")
    print(f"| rows | {ours['lines']} | (one JSON document) | |")
    print()
    print("| TUI in a pseudo-terminal (100x30) | measured | target |")
    print("|---|---|---|")
    ff = screen["first_frame"]
    print(f"| launch to first frame | {ff * 1000:.0f} ms |" if ff else "| launch to first frame | (none) |", "< 100 ms |")
    ai = screen["all_in"]
    print(f"| all {args.users} rows in | {ai:.2f} s |" if ai else "| all rows in | (timed out) |", "paced by max_list_rps = 30 |")
    print(f"| RSS after load | {screen['rss']:.0f} MiB | |")
    print(f"| CPU while idle for 5 s | {screen['idle_cpu']:.2f} s | 0 |")
    return 0 if ours["ok"] and theirs["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
