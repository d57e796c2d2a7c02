"""Contacts and accounts from a survey export's respondents, for teams without a CRM list.

After a batch of responses is written (inside its transaction): each email that no contact has becomes a
contact (with the name the file gives, if any), and the batch's responses are linked to it. On request,
each company email domain that no account has becomes an account (named after the domain), and the new
contacts and the batch's responses are linked to it. Free-mail domains (gmail, outlook, yahoo, gmx, qq …)
never make an account: two people at gmail.com are not one customer. Everything made here carries the
batch id, so undoing the import removes it.
"""
from __future__ import annotations

import sqlite3
from typing import Any

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


def add_contacts(conn: sqlite3.Connection, batch_id: int, names: dict[str, tuple[Any, Any]]) -> int:
    """Contacts for the batch's respondents' emails that no contact has; links the batch's responses.
    ``names``: email -> (first name, last name) where the file gives them. Returns the contacts made."""
    emails = conn.execute(   # each with the account its responses were linked to (by domain), if any
        "SELECT email, max(account_id) FROM responses WHERE import_batch_id = ? AND contact_id IS NULL "
        "AND email IS NOT NULL AND email NOT IN (SELECT email FROM contacts WHERE email IS NOT NULL) "
        "GROUP BY email ORDER BY min(id)", (batch_id,)).fetchall()
    conn.executemany("INSERT INTO contacts(email, first_name, last_name, account_id, import_batch_id) "
                     "VALUES (?, ?, ?, ?, ?)", [(e, *names.get(e, (None, None)), a, batch_id) for e, a in emails])
    conn.execute("UPDATE responses SET contact_id = (SELECT c.id FROM contacts c WHERE c.email = responses.email), "
                 "account_id = coalesce(account_id, (SELECT c.account_id FROM contacts c "
                 "WHERE c.email = responses.email)) "
                 "WHERE import_batch_id = ? AND contact_id IS NULL AND email IS NOT NULL", (batch_id,))
    return len(emails)


def add_accounts(conn: sqlite3.Connection, batch_id: int) -> int:
    """Accounts for the company domains of the batch's respondents that no account has; links the
    batch's new contacts and its responses without an account. Returns the accounts made."""
    known = {r[0] for r in conn.execute("SELECT domain FROM accounts WHERE domain IS NOT NULL")}
    domains = sorted({e.rsplit("@", 1)[1] for (e,) in conn.execute(
        "SELECT DISTINCT email FROM responses WHERE import_batch_id = ? AND account_id IS NULL "
        "AND email IS NOT NULL", (batch_id,))} - known)
    domains = [d for d in domains if not is_free_mail(d)]
    conn.executemany("INSERT INTO accounts(name, domain, import_batch_id) VALUES (?, ?, ?)",
                     [(d, d, batch_id) for d in domains])
    by_domain = dict(conn.execute("SELECT domain, min(id) FROM accounts WHERE domain IS NOT NULL "
                                  "GROUP BY domain HAVING count(*) = 1"))
    for table in ("contacts", "responses"):
        rows = conn.execute(f"SELECT id, email FROM {table} WHERE import_batch_id = ? AND account_id IS NULL "
                            f"AND email IS NOT NULL", (batch_id,)).fetchall()
        conn.executemany(f"UPDATE {table} SET account_id = ? WHERE id = ?",
                         [(by_domain[e.rsplit("@", 1)[1]], i) for i, e in rows if e.rsplit("@", 1)[1] in by_domain])
    return len(domains)
