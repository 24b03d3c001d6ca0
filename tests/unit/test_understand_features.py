"""The reader's own n-gram cutting matches scikit-learn's, to the bit, and its shortcuts change nothing."""

import re
import unicodedata

import numpy as np
from scipy import sparse

from sablier.understand.bundle import shipped_bundle
from sablier.understand.features import (
    _char_vectorizer,
    _word_vectorizer,
    counted,
    counts,
    normalise,
    weigh,
)
from sablier.understand.head import Head
from sablier.understand.memo import Memo
from sablier.understand.ngrams import Quotes, analysed, char_columns
from sablier.understand.text import fold
from sablier.understand.trie import trie_pattern

TEXTS = [
    "Toujours pas de réponse @BanqueAzur!!! 3 semaines https://x.y/z 😡",
    "sooooo good, thanks #blessed 🙏",
    "a I x _ a_b l'argent e-mail",
    "",
    "  \t\n ",
    "\u0130stanbul \u01c5 \ufb01ne \uff37\uff49\uff44\uff45",  # dotted I, digraph, ligature, fullwidth
]


def _reference_weigh(matrix: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """What the featurizer computed with scipy before: `weigh` must give the same bits."""
    damped = sparse.csr_matrix(matrix, dtype=np.float32, copy=True)
    damped.data = 1.0 + np.log(damped.data)
    weighted = sparse.csr_matrix(damped.multiply(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)


def test_it_counts_the_columns_scikit_learn_counts() -> None:
    mine = counted([analysed(t).words + char_columns(analysed(t)) for t in TEXTS])
    theirs = counts(TEXTS, _word_vectorizer(), _char_vectorizer())
    assert np.array_equal(mine.indptr, theirs.indptr)
    assert np.array_equal(mine.indices, theirs.indices)
    assert np.array_equal(mine.data, theirs.data)


def test_it_weighs_to_the_bit_in_the_order_the_heads_were_trained_on() -> None:
    idf = shipped_bundle().featurizer.idf
    mine = weigh(counted([analysed(t).words + char_columns(analysed(t)) for t in TEXTS]), idf)
    theirs = _reference_weigh(counts(TEXTS, _word_vectorizer(), _char_vectorizer()), idf)
    assert np.array_equal(mine.indptr, theirs.indptr)
    assert np.array_equal(mine.indices, theirs.indices)
    assert np.array_equal(mine.data, theirs.data)


def test_it_skips_no_link_handle_or_repeat_when_it_looks_for_them_first() -> None:
    assert normalise("HTTPS://X.Y @Bob sooo 12") == " _url_   _user_  soo 00"
    assert normalise("WWW.site.ca aaa... !!!") == " _url_  aa... !!!"


def test_it_folds_like_unicode_decomposition_without_marks() -> None:
    for text in TEXTS:
        decomposed = unicodedata.normalize("NFKD", text.translate({0x2019: "'"}).lower())
        kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
        assert fold(text) == re.sub(r"\s+", " ", kept).strip()


def test_evidence_breaks_ties_by_the_n_gram_as_a_full_sort_does() -> None:
    head = Head("x", ("no", "yes"), np.array([[1.0, 1.0, 2.0, 1.0, -1.0]], np.float32), np.zeros(1))
    grams = [("b", 0), ("d", 1), ("a", 3), ("c", 2), ("e", 4)]
    assert head.evidence(grams, "yes") == ["c", "d", "b"]
    assert head.evidence(grams, "no") == ["e"]
    assert head.evidence_many(Quotes.of([grams, [], grams[:1]]), np.array([1, 1, 0])) == [
        ["c", "d", "b"],
        [],
        [],
    ]


def test_a_trie_pattern_finds_the_longest_word_where_several_begin() -> None:
    pattern = re.compile(f"(?=({trie_pattern(['rem', 'rembours', 'remise', 'e-mail'])}))")
    assert set(pattern.findall("remboursement e-mail remis")) == {"rembours", "e-mail", "rem"}
    assert re.fullmatch(trie_pattern([]), "") is None


def test_a_memo_computes_each_key_once_and_starts_afresh_when_full() -> None:
    computed: list[str] = []
    memo = Memo(lambda key: computed.append(key) or len(key), limit=3)
    assert memo.many(["a", "bb"]) == [1, 2]
    assert memo.many(["bb", "a"]) == [2, 1] and computed == ["a", "bb"]
    assert memo.many(["bb", "ccc"]) == [2, 3] and list(memo.known) == ["ccc"]  # full: started afresh
    assert computed == ["a", "bb", "ccc"]
