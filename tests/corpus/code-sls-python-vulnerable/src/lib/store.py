import sqlite3

DB = "/tmp/customers.db"


def find_customer(email):
    conn = sqlite3.connect(DB)
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM customers WHERE email = '%s'" % email)
    return cur.fetchone()
