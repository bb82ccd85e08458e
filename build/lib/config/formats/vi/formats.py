# Vietnamese formats as written in official documents: 27/3/2024, 1.356, 98,8.
DATE_FORMAT = "j/n/Y"
SHORT_DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "H:i j/n/Y"
SHORT_DATETIME_FORMAT = "H:i j/n/Y"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "n/Y"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%H:%M %d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
