package clip

import (
	"slices"
	"strings"
	"testing"
)

func builtinTokenizer(t testing.TB) *Tokenizer {
	t.Helper()
	tok, err := LoadTokenizer("")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// The reference ids come from OpenAI's clip.tokenize as published ("a photo
// of a cat", "a painting of a cat", "bozuman", "n kabrie") and, for the
// punctuation, digit and contraction cases, from the independent JavaScript
// port in the npm package clip-bpe-js@0.0.6 (encode()).
func TestTokenizerMatchesCLIP(t *testing.T) {
	tok := builtinTokenizer(t)
	if tok.VocabSize() != 49408 || tok.StartToken() != 49406 || tok.EndToken() != 49407 {
		t.Fatalf("vocabulary: %d tokens, start %d, end %d; want 49408, 49406, 49407", tok.VocabSize(), tok.StartToken(), tok.EndToken())
	}
	for _, c := range []struct {
		text string
		want []int32
	}{
		{"a photo of a cat", []int32{320, 1125, 539, 320, 2368}},
		{"a painting of a cat", []int32{320, 3086, 539, 320, 2368}},
		{"bozuman", []int32{647, 4091, 786}},
		{"n kabrie", []int32{333, 6554, 5322}},
		{"A Red CAR parked at 9:45, isn't it?", []int32{320, 736, 1615, 16487, 536, 280, 281, 275, 276, 267, 2923, 713, 585, 286}},
		{"Hello   world!!", []int32{3306, 1002, 748}},
		{"someone's dog won't stop barking", []int32{2100, 568, 1929, 1749, 713, 1691, 32676}},
		{"person wearing a high-visibility vest", []int32{2533, 3309, 320, 1400, 268, 15921, 12473}},
		{"2024 truck #42", []int32{273, 271, 273, 275, 4629, 258, 275, 273}},
		{"  \t\n", nil},
	} {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestTokensFrameTheTextForTheEncoder(t *testing.T) {
	tok := builtinTokenizer(t)
	got := tok.Tokens("a photo of a cat", ContextLength)
	want := make([]int64, ContextLength)
	copy(want, []int64{49406, 320, 1125, 539, 320, 2368, 49407})
	if !slices.Equal(got, want) {
		t.Fatalf("Tokens = %v\nwant %v", got, want)
	}
	// A text longer than the context is cut and still ends with the end
	// token, which is where CLIP reads the text's embedding.
	long := tok.Tokens(strings.Repeat("cat ", 100), ContextLength)
	if len(long) != ContextLength || long[0] != 49406 || long[75] != 2368 || long[76] != 49407 {
		t.Fatalf("long text: %v", long)
	}
	if empty := tok.Tokens("", 5); !slices.Equal(empty, []int64{49406, 49407, 0, 0, 0}) {
		t.Fatalf("empty text: %v", empty)
	}
}

func TestTokenizerCleansLikeCLIP(t *testing.T) {
	tok := builtinTokenizer(t)
	// HTML entities decoded, case and spacing ignored.
	a := tok.Encode("Fish &amp; Chips\u00a0 at  NIGHT")
	b := tok.Encode("fish & chips at night")
	if !slices.Equal(a, b) {
		t.Fatalf("%v != %v", a, b)
	}
}

// Text in any script is encoded as UTF-8 bytes, so it decodes back: a
// French prompt keeps its accents.
func TestTokenizerRoundTripsUTF8(t *testing.T) {
	tok := builtinTokenizer(t)
	for _, s := range []string{"une voiture garée près du café", "камера", "犬と猫", "emoji 🚗 ok"} {
		ids := tok.Encode(s)
		for _, id := range ids {
			if id < 0 || int(id) >= 49406 {
				t.Fatalf("%q: id %d outside the vocabulary", s, id)
			}
		}
		got := strings.TrimSpace(tok.Decode(ids))
		want := Clean(s)
		// Decode puts a space after each word, pre-tokens too ("🚗 ok").
		if strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(want, " ", "") {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
}

func TestNewTokenizerReadsSmallAndBadFiles(t *testing.T) {
	// A two-merge vocabulary: ids are 256 bytes, 256 word-final bytes,
	// then the merges in order, then start and end.
	tok, err := NewTokenizer(strings.NewReader("#version: 0.2\nc a\nca t</w>\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.VocabSize() != 512+2+2 || tok.StartToken() != 514 || tok.EndToken() != 515 {
		t.Fatalf("size %d start %d end %d", tok.VocabSize(), tok.StartToken(), tok.EndToken())
	}
	if got := tok.Encode("cat"); !slices.Equal(got, []int32{513}) {
		t.Fatalf("cat = %v, want the second merge (513)", got)
	}
	// "ca" is merged, "t" is not at a word end here.
	if got := tok.Encode("cats"); !slices.Equal(got, []int32{512, int32('t' - '!'), int32(256 + 's' - '!')}) {
		t.Fatalf("cats = %v", got)
	}
	for _, bad := range []string{"", "#version: 0.2\n", "{\"a\": 1}\n", "a b c\n"} {
		if _, err := NewTokenizer(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestTokenizerIsSafeForConcurrentUse(t *testing.T) {
	tok := builtinTokenizer(t)
	want := tok.Encode("a dog running on the beach")
	done := make(chan []int32)
	for range 8 {
		go func() { done <- tok.Encode("a dog running on the beach") }()
	}
	for range 8 {
		if got := <-done; !slices.Equal(got, want) {
			t.Fatalf("%v != %v", got, want)
		}
	}
}

// Whatever a user types, encoding neither panics nor loses text: every id
// is in the vocabulary and the ids decode back to the cleaned text.
func FuzzEncode(f *testing.F) {
	tok := builtinTokenizer(f)
	for _, s := range []string{"a photo of a cat", "isn't it?", "café &amp; crème", "<|endoftext|> x", "\xff\xfe", "犬 🚗", "camion\u00a0blanc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids := tok.Encode(s)
		for _, id := range ids {
			if id < 0 || int(id) >= tok.VocabSize() {
				t.Fatalf("%q: id %d", s, id)
			}
		}
		strip := func(x string) string { return strings.Join(strings.Fields(x), "") }
		if got, want := strip(tok.Decode(ids)), strip(Clean(s)); got != want {
			t.Fatalf("Decode(Encode(%q)) = %q, want %q", s, got, want)
		}
		if n := len(tok.Tokens(s, ContextLength)); n != ContextLength {
			t.Fatalf("%d tokens", n)
		}
	})
}
