"""The search benchmarks' query mix (bench/search.py, bench/search_profile.py): 200 queries
of six kinds drawn from the synthetic corpus's own sentence material."""

import random

from archive.demo import corpus_content


def words_of(language: str) -> list[str]:
    text = " ".join(corpus_content.CLAUSES[language] + corpus_content.TIMES[language])
    return sorted({w.strip(".,«»;:") for w in text.split() if len(w.strip(".,«»;:")) > 4})


def phrases_of(language: str) -> list[str]:
    pairs = []
    for clause in corpus_content.CLAUSES[language]:
        parts = clause.split()
        pairs += [f'"{a} {b}"' for a, b in zip(parts, parts[1:], strict=False) if len(a) > 3]
    return pairs


def query_mix(rng: random.Random) -> list[tuple[str, str, dict[str, list[str]]]]:
    """200 queries: (kind, text, facet filters)."""
    mix = []
    languages = ["en", "ru", "hy"]
    for _ in range(50):
        mix.append(("single term", rng.choice(words_of(rng.choice(languages))), {}))
    for _ in range(40):
        language = rng.choice(languages)
        a, b = rng.sample(words_of(language), 2)
        mix.append(("two-term AND", f"{a} {b}", {}))
    for _ in range(30):
        mix.append(("phrase", rng.choice(phrases_of(rng.choice(languages))), {}))
    for _ in range(30):
        language = rng.choice(languages)
        mix.append(("with a filter", rng.choice(words_of(language)), {"language": [language]}))
    for _ in range(20):
        mix.append(("facets only", "", {}))
    for _ in range(30):
        latin, armenian, cyrillic = rng.choice(corpus_content.FAMILY_NAMES)
        mix.append(("cross-script name", rng.choice([armenian, cyrillic]), {}))
    return mix
