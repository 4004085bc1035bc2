"""A short text for the character-level language model, written for this course.

It ships as a Python string, so training needs no download and no data file. It is short on
purpose: a small LSTM, trained for a few seconds, learns its words and its rhythm.
"""

__all__ = ["TEXT"]

TEXT = """\
The lighthouse keeper climbs the stairs at dusk. She counts the steps as she goes, one hundred
and twelve, and at the top she lights the lamp. The lamp turns, and the light runs over the
water, over the rocks, over the boats that come home late. The sea is grey and the sky is grey,
and between them the light is gold.

In the morning the keeper writes in her book. She writes the wind and the weather, the ships
that passed and the birds that came to rest on the rail. She writes that the sea was calm, or
that the sea was wild, or that the fog came in from the west and stayed all day. The book is
old and the pages are thin, and the first keeper wrote in it a hundred years ago.

The keeper remembers what the book remembers. She remembers the storm of the long winter, when
the waves came over the wall and the lamp burned all night. She remembers the boat with the red
sail that came in at noon and left before the tide. She remembers the first name on the first
page, written in a small and careful hand.

A network that reads a sentence must remember too. When it reads the word at the end, it must
still hold the word at the start. A simple network forgets: what it read long ago fades at every
step, like a light seen through fog. A network with a memory cell keeps what matters, and lets
the rest go, and it learns by itself what to keep.

At night the keeper climbs the stairs again. The lamp turns, the light runs over the water, and
the boats come home.
"""
