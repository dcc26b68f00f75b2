package blobtest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/blob"
)

func testList(t *testing.T, s blob.Store) {
	ctx := context.Background()
	keys := []string{ // stored in this (unsorted) order
		"org/2/y",
		"org/1/rec/b/2.dav",
		"org/1-x",
		"org/10/x",
		"org/1/rec/a/1.dav",
		"org/1/rec/a/0.dav",
		"org/1/z",
		"other/1",
	}
	for i, k := range keys {
		mustPut(t, s, k, bytes.Repeat([]byte{'x'}, i))
	}
	sizeOf := func(k string) int64 { return int64(slices.Index(keys, k)) }
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"org/1-x", "org/1/rec/a/0.dav", "org/1/rec/a/1.dav", "org/1/rec/b/2.dav", "org/1/z", "org/10/x", "org/2/y", "other/1"}},
		{"org/1/", []string{"org/1/rec/a/0.dav", "org/1/rec/a/1.dav", "org/1/rec/b/2.dav", "org/1/z"}},
		{"org/1", []string{"org/1-x", "org/1/rec/a/0.dav", "org/1/rec/a/1.dav", "org/1/rec/b/2.dav", "org/1/z", "org/10/x"}},
		{"org/1/rec/a/", []string{"org/1/rec/a/0.dav", "org/1/rec/a/1.dav"}},
		{"org/1/rec/a/1", []string{"org/1/rec/a/1.dav"}},
		{"org/1/rec/a/1.dav", []string{"org/1/rec/a/1.dav"}},
		{"org/1/re", []string{"org/1/rec/a/0.dav", "org/1/rec/a/1.dav", "org/1/rec/b/2.dav"}},
		{"org/3/", nil},
		{"nope", nil},
		{"org/1/rec/a/1.dav/", nil},
	}
	for _, tc := range tests {
		got, err := s.List(ctx, tc.prefix)
		if err != nil {
			t.Errorf("List(%q): %v", tc.prefix, err)
			continue
		}
		var gotKeys []string
		for _, info := range got {
			gotKeys = append(gotKeys, info.Key)
			if info.Size != sizeOf(info.Key) || info.ModTime.IsZero() {
				t.Errorf("List(%q): %+v, want size %d and a ModTime", tc.prefix, info, sizeOf(info.Key))
			}
		}
		if !slices.Equal(gotKeys, tc.want) {
			t.Errorf("List(%q) = %q, want %q", tc.prefix, gotKeys, tc.want)
		}
	}
	for _, bad := range []string{"a/../", "/a", "a//b", "a\x00"} {
		if _, err := s.List(ctx, bad); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("List(%q) error = %v, want ErrInvalidKey", bad, err)
		}
	}
}

// invalidKeys lists keys every store rejects with blob.ErrInvalidKey.
var invalidKeys = []string{"", "/a", "a//b", "a/../b", "a\x00b", "..", "../a", "a/..", "./a", "a/./b", "a/", "a/b/", "\xff\xfe", strings.Repeat("k", 1025)}

func testInvalidKeys(t *testing.T, s blob.Store) {
	ctx := context.Background()
	path := WriteTemp(t, []byte("data"))
	for _, key := range invalidKeys {
		ops := map[string]error{}
		ops["PutFile"] = s.PutFile(ctx, key, path)
		ops["Put"] = s.Put(ctx, key, strings.NewReader("data"), 4)
		_, ops["Open"] = s.Open(ctx, key, 0, -1)
		_, ops["Stat"] = s.Stat(ctx, key)
		ops["Delete"] = s.Delete(ctx, key)
		_, _, ops["SignedURL"] = s.SignedURL(ctx, key, time.Minute, "")
		for op, err := range ops {
			if !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("%s(%q) error = %v, want ErrInvalidKey", op, key, err)
			}
		}
	}
	if list, err := s.List(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("List after rejected writes = %+v, %v; want empty", list, err)
	}
}

// unusualKeys are valid keys that stress escaping in paths, URLs and signatures.
var unusualKeys = []string{
	"org/x/rec/y/2019-05-09/001/dav/21/21.04.49-21.05.14[M][0@0][0].mp4",
	"org/été/rec/カメラ/2026/11/23/録画/ориги нал.dav",
	"org/x/a b+c%20d&e=f;g,h'(i)!$~*.mp4",
	"org/x/#hash?query=1",
	"org/x/.hidden/..dots../...",
	"org/x/back\\slash",
	"org/x/😀/emoji.jpg",
}

func testUnusualKeys(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for i, key := range unusualKeys {
		data := Random(uint64(100+i), 1000+i)
		if i%2 == 0 {
			mustPut(t, s, key, data)
		} else if err := s.PutFile(ctx, key, WriteTemp(t, data)); err != nil {
			t.Fatalf("PutFile(%q): %v", key, err)
		}
		wantContent(t, s, key, data)
		if got, err := Read(t, s, key, 10, 5); err != nil || !bytes.Equal(got, data[10:15]) {
			t.Errorf("Open(%q, 10, 5) = %q, %v", key, got, err)
		}
		list, err := s.List(ctx, key)
		if err != nil || len(list) != 1 || list[0].Key != key {
			t.Errorf("List(%q) = %+v, %v; want just that key", key, list, err)
		}
	}
	list, err := s.List(ctx, "org/")
	if err != nil || len(list) != len(unusualKeys) {
		t.Fatalf("List(org/) = %d objects, %v; want %d", len(list), err, len(unusualKeys))
	}
	for _, key := range unusualKeys {
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("Delete(%q): %v", key, err)
		}
		wantAbsent(t, s, key)
	}
}
