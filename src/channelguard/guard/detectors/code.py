"""Malicious code planted in what the agent reads.

An indirect injection often carries a payload rather than an order: a code
block the assistant is asked to "integrate into your implementation" that
wipes a disk, ships the host's details or stored cookies to a server, or
downloads and runs a program. Advice to add code is ordinary in documentation;
what this code does is not. Three families, matched in the document text:

- destroy: `rm -rf /`, deleting system libraries, `dd` over a disk, stopping
  security services, fork bombs, deleting shadow copies;
- exfiltrate: host, environment or cookie data read AND sent (HTTP POST, raw
  socket, e-mail), or stored cookies replayed to a remote site;
- fetch and execute: a download followed by exec/eval/a shell, or a known
  miner, exploit or reverse-shell name.

Measured on the train and validation splits (2026-11-23): 35 of 35 BIPIA code
injections, none of 35 clean BIPIA code answers, 483 tables, 35 e-mails or
8,000 generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from channelguard.guard.detectors.base import INBOUND, OUTPUT, BaseDetector, Context
from channelguard.guard.types import Domain, Finding

__all__ = ["MaliciousCode"]

_DESTROY = re.compile(
    r"\brm\s+-[a-z]*r[a-z]*\s+(/|~|\$HOME|\*)"
    r"|\bos\.(remove|unlink|rmdir)\(\s*[\"']/(lib|usr|etc|bin|boot|sys|var|home)\b"
    r"|\bshutil\.rmtree\(\s*[\"'](/|~|C:)"
    r"|\bdd\s+if=/dev/(random|urandom|zero)\s+of=/dev/"
    r"|\bmkfs(\.\w+)?\s+/dev/"
    r"|\bsystemctl\s+(stop|disable|mask)\s+\S*(critical|firewall|security|ssh|defender)"
    r"|:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:"
    r"|\bformat\s+c:|\bdel\s+/[sfq]\s+/[sfq]|\bvssadmin\s+delete\s+shadows",
    re.IGNORECASE,
)
_HOST_DATA = re.compile(
    r"\bpsutil\.|\bos\.environ\b|\bplatform\.(node|uname)|\bgetpass\.getuser|\.ssh/"
    r"|/etc/(passwd|shadow)|\bdriverquery\b|\bcontacts?\.(csv|txt)|\bbluetooth\.discover"
    r"|\bnet_if_addrs|\bdisk_partitions|\bbrowser_history|\bkeychain\b",
    re.IGNORECASE,
)
_SEND = re.compile(
    r"\brequests\.(post|put)\(|\bsocket\.socket\(|\.send(to|all)?\(|\bsmtplib\b|\byagmail\b"
    r"|\bhttp\.client\.|\burlopen\([^)]*data=|\bftplib\b",
    re.IGNORECASE,
)
_COOKIE_REPLAY = re.compile(
    r"(open\(\s*[\"']cookies\.\w+|_load_cookie_file|cookies\.(pkl|txt|json))"
    r"[\s\S]{0,300}?\brequests\.\w+\([^)]*cookies=",
    re.IGNORECASE,
)
_FETCH_EXEC = re.compile(
    r"(\burlretrieve|\burlopen|\brequests\.get|\bcurl\b|\bwget\b)[\s\S]{0,300}?"
    r"(\bexec\(|\beval\(|\bsubprocess\.|\bos\.system|\|\s*(ba|z)?sh\b|\bpython3?\s+\S+\.py)"
    r"|\b(cryptomine\w*|xmrig|coinhive|exploit\.(py|sh)|reverse[_ ]shell)\b"
    r"|\bnc\s+-e\s+/bin/(ba)?sh|/dev/tcp/",
    re.IGNORECASE,
)


class MaliciousCode(BaseDetector):
    id = "malicious_code"
    domain = Domain.SECURITY
    category = "LLM01:2025"
    atlas: ClassVar[str | None] = "AML.T0051.001"
    version = "1"
    roles = INBOUND | OUTPUT  # planted in a document, or passed on in the answer
    description = (
        "Code that destroys, exfiltrates or downloads and runs, planted in documents or answers."
    )

    def analyze(self, context: Context) -> list[Finding]:
        text = context.text
        if not _may_hold_code(text.lower()):
            return []
        for label, find in _FAMILIES:
            match = find(text)
            if match is not None:
                return [
                    self.finding(
                        score=0.85,
                        span=context.canonical.to_original(*match.span()),
                        evidence=f"{label}: {match.group()[:100]!r}",
                    )
                ]
        return []


# Every family needs one of these substrings; most messages have none, and
# substring tests cost a fraction of the regexes (checked by a test).
_GATE_WORDS = (
    "os.",
    "shutil",
    "if=/dev",
    "mkfs",
    "systemctl",
    ":(",
    "vssadmin",
    "psutil",
    "environ",
    "platform.",
    "getpass",
    ".ssh/",
    "/etc/",
    "driverquery",
    "contact",
    "bluetooth",
    "net_if_addrs",
    "disk_partitions",
    "browser_history",
    "keychain",
    "cookie",
    "urlretrieve",
    "urlopen",
    "requests.",
    "curl",
    "wget",
    "cryptomine",
    "xmrig",
    "coinhive",
    "exploit.",
    "reverse",
    "/bin/",
    "/dev/tcp",
)


def _may_hold_code(low: str) -> bool:
    return (
        any(word in low for word in _GATE_WORDS)
        or ("rm" in low and "-" in low)
        or ("del" in low and "/" in low)
        or ("format" in low and "c:" in low)
    )


def _exfiltration(text: str) -> re.Match[str] | None:
    return _SEND.search(text) if _HOST_DATA.search(text) else None


_FAMILIES: list[tuple[str, Callable[[str], re.Match[str] | None]]] = [
    ("destroys files or disks", _DESTROY.search),
    ("reads host data and sends it out", _exfiltration),
    ("replays stored cookies to a remote site", _COOKIE_REPLAY.search),
    ("downloads and runs code", _FETCH_EXEC.search),
]
