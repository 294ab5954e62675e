# English dates as the archive writes them (26 September 2023), not Django's American
# default (Sept. 26, 2023); Armenian and Russian keep Django's own formats.
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j M Y"
