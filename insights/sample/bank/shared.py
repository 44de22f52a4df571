"""Phrases any feedback item may borrow, whatever its theme, plus the off-topic ones.

Shared sentences make items of one theme differ from each other and make items of different
themes share words, as real feedback does; a clusterer has to look past them.
"""

from __future__ import annotations

GREETINGS = (
    "Hi team,",
    "Hello,",
    "Hi there,",
    "Hey support,",
    "Good morning,",
    "Dear support team,",
    "Hello again,",
    "Hi folks,",
    "Hi,",
    "Good afternoon,",
)

LEAD_INS = (
    "We've run into a problem.",
    "Not sure if this is a known issue.",
    "Reporting something that has been bugging our team.",
    "Quick one for you.",
    "I need some help with this.",
    "This has happened a few times now.",
    "Raising this on behalf of my team.",
    "Apologies if this was already reported.",
    "Something seems off on our account.",
    "Following up on a chat with one of your colleagues.",
)

CONTEXTS = (
    "We're on the {plan} plan with about {seats} users.",
    "Our team uses the product every day for reporting.",
    "This affects several people in our company.",
    "I'm the admin for our workspace.",
    "We've been customers for a few years now.",
    "Our leadership reviews these numbers weekly.",
    "We rolled the tool out to another department last month.",
    "I'm writing from our {city} office.",
)

IMPACTS = (
    "This is blocking our month-end close.",
    "It's holding up a client deliverable.",
    "My manager keeps asking when it will be fixed.",
    "We're wasting hours on workarounds.",
    "It's making the team lose trust in the tool.",
    "Not critical, but really annoying.",
    "Fairly urgent for us.",
    "We have a board meeting on {weekday}.",
)

CLOSERS = (
    "Thanks!",
    "Thanks in advance.",
    "Any help appreciated.",
    "Let me know if you need more details.",
    "Appreciate a quick look.",
    "Looking forward to your reply.",
)
SIGN_OFFS = ("Cheers,", "Thank you,", "Best regards,", "Thanks,", "Kind regards,", "Best,")

# Joins a sentence about a second theme onto an item, so the second one reads as an aside.
# Each ends in a colon so the borrowed sentence can keep its capital letter.
CONNECTORS = ("Also:", "On a separate note:", "While I'm here:", "Unrelated:", "One more thing:", "P.S.")

URGENT_PREFIXES = ("URGENT: ", "Urgent - ", "[High priority] ")

NPS_VERDICTS = {
    "detractor": (
        "Frustrating lately.",
        "Not happy.",
        "Disappointed.",
        "Honestly it's been rough.",
        "Too many problems.",
        "Hard to recommend right now.",
        "Needs work.",
    ),
    "passive": (
        "It's okay.",
        "Decent tool overall.",
        "Does the job mostly.",
        "Fine, with some gaps.",
        "Good but not great.",
        "Mostly solid.",
    ),
    "promoter": (
        "Great product!",
        "Love it.",
        "Really useful tool.",
        "Very happy overall.",
        "Big fan of the product.",
        "Works well for us.",
    ),
}
# A happy respondent still mentions a wish; these turn the theme sentence into an aside.
NPS_PIVOTS = ("One wish:", "Only thing missing:", "My only gripe:", "Small thing:", "If I had to pick one thing:")

REVIEW_TITLES = {
    1: ("Terrible", "Unusable", "Very disappointed", "Avoid"),
    2: ("Needs work", "Frustrating", "Going downhill"),
    3: ("Okay but...", "Has potential", "Mixed feelings"),
    4: ("Pretty good", "Nearly there", "Solid app"),
    5: ("Great app", "Excellent", "Love it"),
}
REVIEW_CONTEXTS = (
    "I use this app daily for work.",
    "Our whole sales team has it installed.",
    "Checked on both iPhone and iPad.",
    "Mostly I glance at numbers between meetings.",
    "Been using it for about {years} years.",
)
REVIEW_CLOSERS = {
    "low": ("Will update my rating once fixed.", "Please sort this out.", "One star until it's fixed."),
    "high": ("Otherwise a great app.", "Keep up the good work.", "Would be five stars with this."),
}

CANNY_LEADS = (
    "Feature request:",
    "Our team would love this.",
    "Adding this on behalf of our analysts.",
    "Surprised this isn't there yet.",
    "Would make a big difference for us.",
)

NOISE_TICKETS = (
    ("Thanks!", "Thanks, that solved it. You can close this ticket."),
    ("Out of office", "I am out of the office until Monday with limited access to email."),
    ("Webinar recording", "Could you send me the recording of last week's webinar?"),
    ("Sent by mistake", "Please ignore this, I sent it by accident."),
    ("Hello", "Hello, just testing whether this address reaches you."),
    ("Quarterly check-in", "Can we move our quarterly check-in to Thursday?"),
    ("Re: call", "Great speaking with you today, talk soon."),
    ("Swag", "Loved the t-shirts you sent, thank you!"),
    ("Account manager", "Who is our account manager these days?"),
    ("Conference", "Will your team be at the analytics summit in Berlin this year?"),
    ("Case study", "Happy to be a reference customer if that helps your sales team."),
)
NOISE_NPS = (
    "thanks!",
    "no comment",
    "All good",
    "Keep it up",
    "nothing to add",
    "Good",
    ":)",
    "ok",
    "Fine.",
    "Nope",
    "Thank you",
    "Great team",
    "no feedback right now",
)
NOISE_REVIEWS = (
    ("Good", "Good app"),
    ("Nice", "Nice"),
    ("Fine", "Works."),
    ("Ok", "It's ok I guess"),
    ("Cool", "Cool app for work"),
    ("Meh", "My boss makes me use it"),
    ("Does the job", "Does what it says"),
    ("Test", "test"),
    ("Solid", "Solid, no complaints"),
)
NOISE_CANNY = (
    ("Test", "testing"),
    ("Hello", "Just looking around the board."),
    ("Thank you", "No request, just wanted to say thanks to the team!"),
    ("Duplicate", "Sorry, posted twice."),
    ("Question", "Where can I see what's on the roadmap?"),
    ("Love the product", "Keep doing what you're doing."),
)

EMAIL_LINES = (
    "You can reach me at {email}.",
    "Please reply to {email}, not the address on file.",
    "Loop in my colleague at {email}.",
    "cc {email}",
    "Contact: {email}",
)
PHONE_LINES = (
    "Call me on {phone} if easier.",
    "My direct line is {phone}.",
    "Best reached at {phone} today.",
    "Phone: {phone}",
    "Text me at {phone} when it's fixed.",
)
# Numbers in ranges reserved for fiction or documentation, written the ways people write them.
PHONE_FORMATS = (
    "({us_area}) 555-01{d2}",
    "{us_area}-555-01{d2}",
    "+1 {us_area} 555 01{d2}",
    "+44 20 7946 0{d3}",
    "020 7946 0{d3}",
    "+61 2 5550 {d4}",
    "+33 1 99 00 {d2} {d2b}",
    "+55 11 5555-{d4}",
)
