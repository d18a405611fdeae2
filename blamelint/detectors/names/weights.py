"""The weights of the evidence that a name is a person's. A mention starts at BASE and each cue
adds its weight; a mention at the rule's threshold (option `threshold`, DEFAULT_THRESHOLD) or
above is reported. How ordinary a word is comes from the lexicon (`lexicon.ORDINARY`)."""

DEFAULT_THRESHOLD = 0.5
DEFAULT_PUBLIC_THRESHOLD = 0.3  # profile "public": a PERSON or first name nothing marks as software
EPSILON = 1e-9  # a score at the threshold may miss it by a rounding error

# what the word is
BASE = 0.15
FIRST_NAME = 0.3
WORLD_NAME = 0.25  # in rules/words/first_names.yaml, 15,000 names from many countries: weaker evidence
NER_PERSON = 0.25
FULL_NAME = 0.15  # two or more words, none of them English
STOP_WORD_FIRST_NAME_COMMON = 0.2  # how ordinary a stop word that is also a first name is ("Will")
SENTENCE_START_PENALTY = 0.1  # added to the penalty of a common word that starts its sentence
FUNCTION_WORD_MIN_SCORE = 0.5  # a word tagged as a function word needs this much context

# the verb it is the subject of
SUBJECT_OF_STRONG_VERB = 0.45  # "Ingrid paged …"
SUBJECT_OF_AGENT_VERB = 0.35  # "Eero pushed the hotfix"
SUBJECT_OF_AUTOMATION_VERB = 0.25  # "Velero restored the snapshot"
SUBJECT_OF_SYSTEM_VERB = -0.2  # "Kafka lagged"
SUBJECT_OF_REPLY_VERB = 0.1  # "X does not respond for 50 minutes"
SUBJECT_OF_OTHER_VERB = 0.05
PERSON_ADJECTIVE = 0.35  # "X needs to be more careful", "X was careless"
ROLE_COMPLEMENT = 0.45  # "X was the incident commander"

# other places in the sentence
ACCORDING_TO = 0.45
AGENT_OF_VERB = 0.35  # "approved by X"
OBJECT_OF_VERB = 0.35  # "paged X"
OBJECT_OF_VERB_PREP = 0.3  # "escalated to X"
TALKED_TO = 0.4  # "after talking to X, the team …"
COORDINATED_SUBJECT = 0.35  # "X and Y split the work"
OWNS_PERSONAL_THING = 0.35  # "Raj's laptop"

# titles, roles and teams around it
TITLE = 0.5  # "Dr. X"
AFTER_ROLE = 0.45  # "intern X"
ROLE_APPOSITIVE_BEFORE = 0.55  # "our intern, X"
IN_PARENS_AFTER_ROLE = 0.45  # "the IC (X)"
ROLE_IN_PARENS = 0.45  # "X (SRE)"
WHO_CLAUSE = 0.35  # "X, who …"
ROLE_APPOSITIVE_AFTER = 0.45  # "X, our intern"
THANKS_TO = 0.45
FROM_A_TEAM = 0.45  # "X from the payments team"
PRONOUN = 0.35  # "he" or "she" later in the sentence
LISTED_UNDER_ROLE = 0.45  # "On-call rotation: X (primary), Y (secondary)"

# the rest of the document
MATCHES_HANDLE = 0.3  # "Arvid" and "@arvid"
NAMED_ELSEWHERE = 0.4  # a name confirmed once raises its other mentions
CONJOINED_WITH_NAME = 0.3  # a weaker candidate next to a reported name ("Carlos Mendoza and Hannah")
RAISE_MAX_COMMON = 0.3  # those three raise only a mention less ordinary than this

# personal handles
HANDLE = 0.65
HANDLE_WITH_SEPARATOR = 0.75  # "@jane.doe", or a first name ("@jane")

# a finding's confidence is the best score of its mentions, within these bounds
MIN_CONFIDENCE = 0.05
MAX_CONFIDENCE = 0.99
