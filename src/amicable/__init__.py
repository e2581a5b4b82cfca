"""amicable: amicable collection of consumer debts in Belgium (Book XIX CEL)."""

__version__ = "0.1.0"
