"""Contacts and accounts from a survey export's respondents, for teams without a CRM list.

As each new response is written (inside its import's transaction), an email that no contact has becomes a
contact (with the name the file gives, if any) and the response is linked to it. On request, a company
email domain that no account has becomes an account (named after the domain), and the new contact and
its responses belong to it. Free-mail domains (gmail, outlook, yahoo, gmx, qq …)
never make an account: two people at gmail.com are not one customer. Everything made here carries the
batch id, so undoing the import removes it.
"""
from __future__ import annotations

import sqlite3
from typing import Any, cast

from .linking import Linker
from .values import email_domain, split_name

#: Domains of personal mailboxes: never a company's.
FREE_MAIL = frozenset("""
gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.es hotmail.it
live.com live.co.uk live.fr msn.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es yahoo.it yahoo.co.jp
ymail.com rocketmail.com icloud.com me.com mac.com aol.com gmx.de gmx.net gmx.at gmx.ch gmx.com web.de
t-online.de freenet.de posteo.de mailbox.org qq.com 163.com 126.com yeah.net sina.com sina.cn sohu.com
foxmail.com aliyun.com mail.com mail.ru yandex.ru yandex.com proton.me protonmail.com pm.me tutanota.com zoho.com
orange.fr free.fr laposte.net sfr.fr wanadoo.fr libero.it virgilio.it tiscali.it alice.it naver.com
daum.net hanmail.net rediffmail.com seznam.cz wp.pl o2.pl interia.pl onet.pl comcast.net att.net
verizon.net sbcglobal.net bellsouth.net cox.net charter.net shaw.ca rogers.com bigpond.com optusnet.com.au
btinternet.com sky.com virginmedia.com ziggo.nl kpnmail.nl hetnet.nl telenet.be skynet.be bluewin.ch
terra.com.br uol.com.br bol.com.br ig.com.br hotmail.com.br outlook.es outlook.fr outlook.de
""".split())
#: First labels of free-mail providers with many country domains (yahoo.com.ar, hotmail.co.jp …).
_FREE_MAIL_NAMES = {"gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "ymail", "icloud", "aol",
                    "gmx", "yandex", "protonmail"}


def is_free_mail(domain: str) -> bool:
    """``gmail.com``, ``yahoo.co.uk``, ``gmx.de`` …: a personal mailbox, not a company."""
    return domain in FREE_MAIL or domain.split(".", 1)[0] in _FREE_MAIL_NAMES


class Respondents:
    """Makes the contact (and, on request, the account) of each new respondent of one import batch."""

    def __init__(self, conn: sqlite3.Connection, batch_id: int, linker: Linker, accounts_from_domains: bool):
        self.conn, self.batch_id, self.linker = conn, batch_id, linker
        self.accounts_from_domains = accounts_from_domains
        self.known_domains = {d for (d,) in conn.execute("SELECT domain FROM accounts WHERE domain IS NOT NULL")}
        self.contacts = self.accounts = 0

    def add_contacts(self, rows: list[dict[str, Any]]) -> None:
        """A contact for each email of ``rows`` that no contact has (named as its first row names the
        respondent), in the row's account, else in the account of its domain (made now when asked to and
        the domain is a company's)."""
        fresh: dict[str, tuple[Any, Any, int | None]] = {}
        for row in rows:
            email = row.get("email")
            if email is None or email in self.linker.contacts or email in fresh:
                continue
            first, last = row.get("first_name"), row.get("last_name")
            if not (first or last) and row.get("name"):
                first, last = split_name(row["name"])
            fresh[email] = (first, last, self._account(email, row.get("account")))
        if not fresh:
            return
        last_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM contacts").fetchone()[0]
        self.conn.executemany("INSERT INTO contacts(email, first_name, last_name, account_id, import_batch_id) "
                              "VALUES (?, ?, ?, ?, ?)", [(e, *v, self.batch_id) for e, v in fresh.items()])
        for contact_id, email, account_id in self.conn.execute(
                "SELECT id, email, account_id FROM contacts WHERE id > ?", (last_id,)):
            self.linker.contacts[email] = (contact_id, account_id)
        self.contacts += len(fresh)

    def _account(self, email: str, ref: str | None) -> int | None:
        account_id = self.linker.by_ext.get(ref) if ref is not None else None
        domain = email_domain(email)
        if account_id is not None or domain is None:  # a valid address always has a domain
            return account_id
        account_id = self.linker.by_domain.get(domain)
        if account_id is None and self.accounts_from_domains and domain not in self.known_domains \
                and not is_free_mail(domain):
            new_id = cast(int, self.conn.execute(  # an INSERT's cursor always has its rowid
                "INSERT INTO accounts(name, domain, import_batch_id) VALUES (?, ?, ?)",
                (domain, domain, self.batch_id)).lastrowid)
            self.linker.by_domain[domain] = account_id = new_id
            self.known_domains.add(domain)
            self.accounts += 1
        return account_id
