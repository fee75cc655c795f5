"""The methodological library («методическая копилка», issue 16)."""
