"""Names for the fictional company's customers, users and staff. Any resemblance is chance."""

from __future__ import annotations

FIRST_NAMES = (
    "Aisha", "Alejandro", "Amara", "Anders", "Ananya", "Ben", "Camille", "Carlos", "Chen", "Chloe", "Daniel",
    "Dmitri", "Elena", "Emeka", "Emily", "Fatima", "Felix", "Grace", "Hannah", "Hiroshi", "Ines", "Isaac",
    "Jakob", "James", "Jana", "José", "Julia", "Kai", "Karin", "Kwame", "Laura", "Leila", "Liam", "Lucía",
    "Łukasz", "Maya", "Mei", "Miguel", "Mohammed", "Nadia", "Noah", "Olivia", "Omar", "Priya", "Rafael",
    "Rania", "Rohan", "Sakura", "Samuel", "Sara", "Sofia", "Tariq", "Thomas", "Valentina", "Wei", "Yuki",
    "Zoë", "Marcus", "Ingrid", "Tomás",
)

LAST_NAMES = (
    "Abebe", "Andersson", "Becker", "Bianchi", "Chen", "Costa", "Dubois", "Eriksen", "Fernández", "Fischer",
    "García", "Gupta", "Haddad", "Hansen", "Hernández", "Ito", "Jansen", "Kim", "Kowalski", "Kumar", "Lee",
    "Lopez", "Martin", "Mensah", "Moreau", "Müller", "Nakamura", "Nguyen", "Novak", "Okafor", "O'Brien",
    "Patel", "Petrov", "Quinn", "Rahman", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Smith", "Sørensen",
    "Tanaka", "Taylor", "Van Dijk", "Wang", "Weber", "Williams", "Wong", "Yilmaz", "Zhang", "Murphy",
    "Ivanova", "Dlamini", "Khan", "Reyes", "Lindqvist", "Park", "Brooks", "Ortiz",
)

COMPANY_STEMS = (
    "Bluefin", "Northwind", "Ironbark", "Silverline", "Redwood", "Quartz", "Lumen", "Harbor", "Kestrel",
    "Maple", "Orchid", "Pinewood", "Summit", "Tidewater", "Vantage", "Willow", "Zephyr", "Cobalt", "Ember",
    "Falcon", "Granite", "Helix", "Juniper", "Lattice", "Meridian", "Nimbus", "Onyx", "Pioneer", "Riverbend",
    "Sable", "Tandem", "Umbra", "Verdant", "Wavecrest", "Alder", "Beacon", "Cedar", "Drift", "Evergreen",
    "Foxglove", "Glacier", "Hollow Oak", "Indigo", "Keystone", "Lighthouse",
)

COMPANY_KINDS = (
    "Logistics", "Analytics", "Clinics", "Retail", "Provisions", "Capital", "Labs", "Softworks", "Media", "Energy",
    "Robotics", "Travel", "Insurance", "Apparel", "Studios", "Freight", "Pharma", "Education", "Systems",
    "Partners", "Kitchens", "Outdoor", "Security", "Biotech", "Realty", "Marine", "Consulting", "Games",
    "Telecom", "Financial",
)

# The fictional company's own account executives, who own the paid accounts in the CRM.
ACCOUNT_OWNERS = (
    "Dana Whitfield", "Marco Bellini", "Priya Raman", "Tom Okoye", "Sofie Lindgren", "Kenji Mori",
    "Rachel Adeyemi", "Luis Cabrera",
)

CITIES = (
    "London", "Berlin", "Austin", "Toronto", "Sydney", "Singapore", "São Paulo", "Paris", "Chicago", "Dublin",
    "Mexico City", "Tokyo", "Amsterdam", "Denver",
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# App Store territories and how likely a review comes from each; non-English ones first
# so a localization complaint can prefer them.
TERRITORIES = {
    "US": 40, "GB": 12, "CA": 7, "AU": 6, "DE": 8, "FR": 5, "NL": 3, "ES": 3, "BR": 4, "MX": 3, "JP": 4,
    "IN": 5,
}
ENGLISH_TERRITORIES = ("US", "GB", "CA", "AU", "IN")

NICKNAME_WORDS = (
    "data", "sales", "ops", "numbers", "pm", "growth", "fin", "mkt", "analyst", "coffee", "night", "road",
    "quiet", "busy", "lucky", "blue", "north", "happy", "grumpy", "pixel",
)
