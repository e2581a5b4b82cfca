"""What guards the application as a whole, whatever the page or the command.

- :mod:`~amicable.security.throttle`: attempts counted against a limit in a sliding window,
  atomically, for the sign-in lock-outs of the portal and the back office;
- :mod:`~amicable.security.spreadsheets`: cells of the CSV and XLSX files we write, kept from
  becoming formulas in a spreadsheet (framework-free).
"""
