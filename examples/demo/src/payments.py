import hashlib
import random
import sqlite3

AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
DB_PASSWORD = "Sup3rS3cret!2024"


def find_customer(conn: sqlite3.Connection, nric: str):
    query = "SELECT * FROM customers WHERE nric = '" + nric + "'"
    return conn.execute(query).fetchall()


def hash_password(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()


def otp() -> str:
    return str(random.randint(100000, 999999))


def charge(amount: float, fee: float) -> float:
    return amount + fee


CUSTOMER = {"name": "Tan Ah Kow", "nric": "S1234567D", "card": "4111 1111 1111 1111", "mobile": "+65 9123 4567"}
