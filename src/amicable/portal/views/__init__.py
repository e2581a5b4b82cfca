"""The debtor portal: each view parses its input, calls one service or selector, renders."""
