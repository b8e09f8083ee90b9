/*
** The PDF backend: pages → libharu → bytes → atomic file.
**
** Every page is added first, so that links and bookmarks can point forward; then the items
** of each page are drawn in order. Consecutive text runs share one BT/ET and the font, size
** and colour are only set when they change. A face is embedded (TrueType subset, UTF-8 →
** Identity-H, ToUnicode) the first time a run uses it, so faces no page uses cost nothing
** and the object order follows the drawing order: identical input, identical bytes.
**
** libharu 2.3.0 facts this file relies on (checked in its source, src/hpdf_doc.c,
** hpdf_font_cid.c): it writes no trailer /ID unless encryption is on, stamps no date unless
** asked (only its PDF/A code calls time()), and names subsets from a per-document counter
** (HPDFAA+, HPDFAB+, ...). So with CreationDate/ModDate taken from SOURCE_DATE_EPOCH and
** Producer overridden, the output depends on the input only. Its error handler is called
** on every failed check: we keep the first status and return, never longjmp.
**
** Speed for many small documents in one process (a worker of `baocao build`): the libharu
** handle and its loaded faces are kept across documents, the deflated font streams are
** kept by what they depend on, and libharu's font set-up is made to walk only the code
** points a face shows. What a document gets never depends on what the process wrote
** before (sections "Deflated streams kept across documents" and "The libharu handle").
*/
#include "pdfout.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_conf.h>

#include "buf.h"
#include "fileio.h"
#include "font.h"
#include "xalloc.h"

#define PDF_MAX_FONT_SIZE 300.0f   /* larger runs are scaled by the text matrix (libharu: 600) */
#define PDF_MAX_RUN 16384         /* bytes per ShowText; libharu cuts strings at 65535, silently */
#define PDF_MAX_STRING 4000        /* bytes of a title or info value (libharu fails > 65535) */
#define PDF_MAX_OUTLINE_DEPTH 16   /* deeper bookmark levels hang under the 16th */
#define PDF_PRODUCER "baocao " BAOCAO_VERSION " (libharu)"

/* libharu 2.3.0's Type0 font set-up looks up all 65,536 BMP code points in the face's
 * format 4 cmap, a linear scan over its segments: 45% of the instructions of a 3-page
 * report, 42 M per face (callgrind). Handing it a cmap of only the characters the document
 * shows (one segment through a glyph array: O(1) lookups) cuts that, shrinks the /W array to
 * the used glyphs, and makes every later per-character lookup in ShowText short too. The embedded subset is unchanged
 * (libharu copies the font's own cmap table from the file). This reaches into the fontdef
 * structure of the installed headers, so it is compiled for 2.3.0 only; other versions take
 * the plain path. */
#if HPDF_VERSION_ID == 20300
#define PDF_NARROW_CMAP 1
#else
#define PDF_NARROW_CMAP 0
#endif
#define PDF_BMP 0x10000u

typedef struct pdf_face {
    HPDF_Font font;  /* loaded on first use */
    size_t order;    /* 1 + how many faces were loaded before it (0: not loaded) */
    uint8_t *used;   /* PDF_BMP bits: code points the document shows in this face */
#if PDF_NARROW_CMAP
    HPDF_FontDef def;       /* whose cmap was narrowed, or NULL */
    HPDF_TTF_CmapRange orig; /* its own cmap, put back before HPDF_Free */
#endif
} pdf_face;

typedef struct pdf_image {
    const char *path;
    HPDF_Image img; /* NULL: failed to load, warned once */
} pdf_image;

typedef struct pdf_state {
    HPDF_Doc doc;
    diag *diag;
    const char *path;
    HPDF_STATUS status, detail; /* the first libharu error */
    const pages *pg;
    HPDF_Page *hpage;
    pdf_face *face; /* per face of pg->fonts */
    size_t nface, nloaded;
    pdf_image *image;
    size_t nimage, image_cap;
    buf text; /* one NUL-terminated run for libharu */
    buf clip; /* a string cut to PDF_MAX_STRING */
    /* What the current page's graphics state holds. */
    int in_text;
    HPDF_Font cur_font;
    float cur_size;
    rgba cur_fill;
    int fill_known;
    uint8_t fill_alpha, stroke_alpha; /* 255 at the start of a page */
    HPDF_ExtGState gs_fill[256], gs_stroke[256]; /* made on first use per alpha value */
    double line_x, line_y; /* the text line origin the PDF has (after BT: 0 0) */
    float line_k;          /* its scale; 0: unknown */
} pdf_state;

static pdf_state *writing; /* the document being written: the error handler's (see open_doc) */

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf_state *st = writing;

    (void)user;
    if (st && st->status == HPDF_OK) {
        st->status = error_no;
        st->detail = detail_no;
    }
}

/* Reports the first libharu error, if any. Returns 0 when there was none. */
static int check(pdf_state *st, const char *what)
{
    if (st->status == HPDF_OK)
        return 0;
    diag_error(st->diag, st->path, 0, 0, "PDF writer failed while %s (libharu error 0x%04X, detail %u)",
               what, (unsigned)st->status, (unsigned)st->detail);
    return -1;
}

/* V within [LO, HI]; NaN gives LO. */
static float clampf(float v, float lo, float hi)
{
    return !(v >= lo) ? lo : v > hi ? hi : v;
}

/***  Document  ***/

/* S, or its first PDF_MAX_STRING bytes cut at a character boundary (a 1 MB heading must
 * not make the whole document fail). Borrowed until the next call. */
static const char *clip(pdf_state *st, const char *s)
{
    size_t n = strlen(s);

    if (n <= PDF_MAX_STRING)
        return s;
    n = PDF_MAX_STRING;
    while (n > 0 && (s[n] & 0xC0) == 0x80)
        n--;
    buf_reset(&st->clip);
    buf_put(&st->clip, s, n);
    return buf_cstr(&st->clip);
}

/* The creation date: options, else SOURCE_DATE_EPOCH (reproducible builds), else now. */
static time_t doc_time(const pdf_opts *o)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (o && o->has_date)
        return (time_t)o->date;
    if (e && *e) {
        v = strtoll(e, &end, 10);
        if (*end == '\0' && v >= 0)
            return (time_t)v;
    }
    return time(NULL);
}

static void set_info(pdf_state *st, const pdf_opts *o)
{
    const pages *pg = st->pg;
    time_t t = doc_time(o);
    struct tm tm;
    HPDF_Date date = { 0 };

    /* Info strings go out as UTF-16BE with a BOM through libharu's UTF-8 encoder. */
    HPDF_SetCurrentEncoder(st->doc, "UTF-8");
    if (pg->title)
        HPDF_SetInfoAttr(st->doc, HPDF_INFO_TITLE, clip(st, pg->title));
    if (pg->author)
        HPDF_SetInfoAttr(st->doc, HPDF_INFO_AUTHOR, clip(st, pg->author));
    if (pg->subject)
        HPDF_SetInfoAttr(st->doc, HPDF_INFO_SUBJECT, clip(st, pg->subject));
    if (pg->keywords)
        HPDF_SetInfoAttr(st->doc, HPDF_INFO_KEYWORDS, clip(st, pg->keywords));
    HPDF_SetInfoAttr(st->doc, HPDF_INFO_CREATOR, "baocao " BAOCAO_VERSION);
#if PDF_NARROW_CMAP /* the same 2.3.0 internals: libharu has no call for the catalog's /Lang */
    if (pg->lang && *pg->lang)
        HPDF_Dict_Add(st->doc->catalog, "Lang", HPDF_String_New(st->doc->mmgr, pg->lang, NULL));
#endif
    HPDF_SetInfoAttr(st->doc, HPDF_INFO_PRODUCER, PDF_PRODUCER);
    if (!gmtime_r(&t, &tm))
        return;
    date.year = tm.tm_year + 1900;
    date.month = tm.tm_mon + 1;
    date.day = tm.tm_mday;
    date.hour = tm.tm_hour;
    date.minutes = tm.tm_min;
    date.seconds = tm.tm_sec > 59 ? 59 : tm.tm_sec;
    date.ind = 'Z';
    HPDF_SetInfoDateAttr(st->doc, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(st->doc, HPDF_INFO_MOD_DATE, date);
}

/* Sets all ten digits in USED when it has any (see "Deflated streams kept": the documents
 * of one template differ mostly in their figures, so with whole digits embedded they share
 * one font program; about 1 KB more per face). */
static void all_digits(uint8_t *used)
{
    int any = 0;

    if (!used)
        return;
    for (int c = '0'; c <= '9'; c++)
        any |= (used[c >> 3] >> (c & 7)) & 1;
    if (any)
        for (int c = '0'; c <= '9'; c++)
            used[c >> 3] |= (uint8_t)(1u << (c & 7));
}

/* Marks the code points of every text run in the face it uses (prescan before drawing, so a
 * face's cmap can be narrowed before libharu sets the font up). */
static void mark_used(pdf_state *st)
{
    for (size_t i = 0; i < st->pg->count; i++) {
        const page *pg = &st->pg->page[i];

        for (size_t j = 0; j < pg->count; j++) {
            const pg_text *t = &pg->item[j].u.text;
            const unsigned char *s = (const unsigned char *)t->text;
            uint8_t *used;

            if (pg->item[j].kind != PG_TEXT || t->face < 0 || (size_t)t->face >= st->nface)
                continue;
            if (!st->face[t->face].used)
                st->face[t->face].used = xcalloc(PDF_BMP / 8, 1);
            used = st->face[t->face].used;
            for (size_t k = 0; k < t->len;) {
                uint32_t cp = s[k++];

                if (cp >= 0xC0) { /* as libharu's UTF-8 encoder reads it */
                    int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;

                    cp &= 0x3F >> more;
                    for (; more > 0 && k < t->len; more--)
                        cp = (cp << 6) | (s[k++] & 0x3F);
                }
                if (cp >= PDF_BMP)
                    cp = ' '; /* libharu shows what is beyond the BMP as a space */
                used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            }
        }
    }
    for (size_t f = 0; f < st->nface; f++)
        all_digits(st->face[f].used);
}

#if PDF_NARROW_CMAP
/* Gives DEF a cmap of the used code points only (see PDF_NARROW_CMAP): one format 4 segment
 * from the lowest to the highest used code point that maps through a glyph array (unused
 * ones to glyph 0), then the terminating 0xFFFF segment. libharu scans segments linearly,
 * so every lookup now costs at most two comparisons and an index. */
static void narrow_cmap(pdf_face *pf, HPDF_FontDef def)
{
    HPDF_TTFontDefAttr attr;
    HPDF_UINT16 *end, *start, *range, *gids;
    HPDF_INT16 *delta;
    uint32_t lo = PDF_BMP, hi = 0;

    if (!pf->used || !def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || pf->def)
        return;
    attr = (HPDF_TTFontDefAttr)def->attr;
    if (attr->cmap.format != 4 || attr->cmap.seg_count_x2 == 0)
        return;
    for (uint32_t byte = 0; byte < PDF_BMP / 8; byte++) /* a byte at a time: mostly zeros */
        for (uint32_t cp = byte * 8; pf->used[byte] && cp < byte * 8 + 8 && cp < 0xFFFF; cp++)
            if ((pf->used[byte] >> (cp & 7)) & 1) {
                lo = cp < lo ? cp : lo;
                hi = cp;
            }
    if (lo > hi)
        return;
    /* One more element than counted: libharu's bound check is `idx > count`. */
    gids = xcalloc(hi - lo + 2, sizeof *gids);
    for (uint32_t cp = lo; cp <= hi; cp++)
        if ((pf->used[cp >> 3] >> (cp & 7)) & 1)
            gids[cp - lo] = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
    end = xmalloc(2 * sizeof *end);
    start = xmalloc(2 * sizeof *start);
    delta = xcalloc(2, sizeof *delta);
    range = xcalloc(2, sizeof *range);
    start[0] = (HPDF_UINT16)lo;
    end[0] = (HPDF_UINT16)hi;
    /* idx = range/2 + (cp - start) - (segments - i) must be cp - lo: range/2 = 2. */
    range[0] = 4;
    start[1] = end[1] = 0xFFFF;
    delta[1] = 1;
    pf->def = def;
    pf->orig = attr->cmap;
    attr->cmap.seg_count_x2 = 4;
    attr->cmap.end_count = end;
    attr->cmap.start_count = start;
    attr->cmap.id_delta = delta;
    attr->cmap.id_range_offset = range;
    attr->cmap.glyph_id_array = gids;
    attr->cmap.glyph_id_array_count = hi - lo + 1;
}

/* libharu writes a CIDToGIDMap for all 65,536 CIDs (128 KB per face, mostly zeros) to
 * deflate on every save; the document only uses CIDs up to the highest used code point, so
 * the map is cut there (CIDs past the end of the map are never shown). */
static void shorten_cid_map(pdf_face *pf)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)pf->font->attr;
    HPDF_TTFontDefAttr attr;
    uint32_t lo, n;
    HPDF_Stream s;
    HPDF_BYTE *map;

    if (!pf->def || !fa || !fa->map_stream || !(s = fa->map_stream->stream))
        return; /* only a narrowed cmap says where the used code points end */
    attr = (HPDF_TTFontDefAttr)pf->def->attr;
    lo = attr->cmap.start_count[0];
    n = attr->cmap.glyph_id_array_count;
    HPDF_MemStream_FreeData(s);
    map = xcalloc(lo + n ? lo + n : 1, 2); /* one write: libharu's costs a call per byte pair */
    for (uint32_t cp = lo; cp < lo + n; cp++) {
        HPDF_UINT16 gid = attr->cmap.glyph_id_array[cp - lo];

        map[2 * cp] = (HPDF_BYTE)(gid >> 8);
        map[2 * cp + 1] = (HPDF_BYTE)gid;
    }
    HPDF_Stream_Write(s, map, 2 * (lo + n));
    free(map);
}

/* Puts the font's own cmap back, so that libharu frees what it allocated. */
static void restore_cmap(pdf_face *pf)
{
    HPDF_TTFontDefAttr attr;

    if (!pf->def)
        return;
    attr = (HPDF_TTFontDefAttr)pf->def->attr;
    free(attr->cmap.end_count);
    free(attr->cmap.start_count);
    free(attr->cmap.id_delta);
    free(attr->cmap.id_range_offset);
    free(attr->cmap.glyph_id_array);
    attr->cmap = pf->orig;
    pf->def = NULL;
}
#else
static void shorten_cid_map(pdf_face *pf)
{
    (void)pf;
}
static void narrow_cmap(pdf_face *pf, HPDF_FontDef def)
{
    (void)pf;
    (void)def;
}
static void restore_cmap(pdf_face *pf)
{
    (void)pf;
}
#endif

/* libharu 2.3.0 writes its UTF-8 encoder's CMap (a `begincidrange` over 0000-FFFF) as the
 * font's ToUnicode, which is not a ToUnicode CMap: poppler warns "Invalid 'begincidrange'
 * operator in ToUnicode CMap" and other readers may not extract text at all. With that
 * encoder a character code is the UTF-16 code unit (CID = code point, BMP only), so the
 * right ToUnicode is the identity: one bfrange per high byte (a bfrange may not cross one),
 * surrogates left out. We rewrite the stream in place (libharu's own stream functions,
 * declared in its installed headers hpdf_objects.h/hpdf_streams.h). */
static void fix_to_unicode(HPDF_Font font)
{
    static buf text; /* the same for every face: made once (freed with the process) */
    HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    unsigned hi = 0, n = 0;

    if (!cmap || !cmap->stream)
        return;
    if (text.len == 0) {
        buf_puts(&text, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        while (hi < 256) {
            unsigned block = 0;

            for (unsigned h = hi; h < 256 && block < 100; h++) /* at most 100 per block */
                block += h < 0xD8 || h > 0xDF;
            buf_printf(&text, "%u beginbfrange\n", block);
            for (n = 0; n < block; hi++) {
                if (hi >= 0xD8 && hi <= 0xDF)
                    continue;
                buf_printf(&text, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
                n++;
            }
            buf_puts(&text, "endbfrange\n");
            while (hi < 256 && hi >= 0xD8 && hi <= 0xDF)
                hi++;
        }
        buf_puts(&text, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    }
    HPDF_MemStream_FreeData(cmap->stream);
    HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)text.ptr, (HPDF_UINT)text.len);
}

/***  Deflated streams kept across documents  ***/

/* A one-page document spends most of its time on its fonts: libharu reads every table of
 * each face back from the TTF (four bytes per fread), writes the subset, and deflates
 * 60 KB per face, then deflates each face's ToUnicode and CIDToGIDMap (20 KB more), again
 * for every document. A subset program's bytes depend only on the file, the glyphs the
 * document uses (libharu's glyph flags, composites included) and the subset tag (HPDFAA+,
 * from the face's order in the document); the two maps depend on their own bytes only. So
 * a long-running worker keeps the deflated bytes keyed by exactly that (a program: path,
 * tag and glyph flags; a map: its bytes), compared in full (the digest only skips unequal
 * keys quickly): a different glyph set never gets another one's program. The next
 * document with the same glyphs takes them as they are (mark_used embeds whole digits, so
 * that documents differing only in their figures share them). Kept or not, the bytes are
 * deflated by libharu's own writer and the descriptor gets the entries libharu's
 * CIDFontType2_BeforeWrite_Func gives it, in its order: the output is byte-identical to
 * libharu's own, with or without the cache. Bounded by entries and bytes (the least
 * recently used goes first); per process (build's workers are forked), freed at exit. Like
 * narrow_cmap this reaches into 2.3.0 structures, so other versions embed the plain way. */
#define PDF_ZCACHE_ENTRIES 64
#define PDF_ZCACHE_BYTES (8u << 20)

typedef struct zentry {
    uint8_t *key;
    size_t klen;
    uint64_t digest;
    uint8_t *data; /* deflated */
    size_t len;
    unsigned length1;   /* a program's size before deflating */
    unsigned long used; /* the clock at its last use */
} zentry;

static struct {
    zentry *e;
    size_t count, bytes;
    size_t max_entries, max_bytes;
    unsigned long clock, hits, misses;
    int limits_set, registered;
} zc;

static void zentry_free(zentry *z)
{
    free(z->key);
    free(z->data);
    z->key = z->data = NULL;
}

static void drop_doc(void);

void pdfout_cache_clear(void)
{
    drop_doc(); /* the faces it loaded are kept too */
    for (size_t i = 0; i < zc.count; i++)
        zentry_free(&zc.e[i]);
    free(zc.e);
    zc.e = NULL;
    zc.count = zc.bytes = 0;
    zc.hits = zc.misses = 0;
}

void pdfout_cache_limit(size_t entries, size_t bytes)
{
    pdfout_cache_clear();
    zc.max_entries = entries;
    zc.max_bytes = bytes;
    zc.limits_set = 1;
}

void pdfout_cache_get_stats(pdfout_cache_stats *s)
{
    s->entries = zc.count;
    s->bytes = zc.bytes;
    s->hits = zc.hits;
    s->misses = zc.misses;
}

#if PDF_NARROW_CMAP
static size_t zentry_size(const zentry *z)
{
    return sizeof *z + z->klen + z->len;
}

static uint64_t digest_of(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u ^ n, w;
    size_t i = 0;

    /* eight bytes a step (a byte-wise FNV cost 3% of a one-page document); the keys are
     * compared in full anyway, this only has to tell most unequal ones apart */
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3u;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

static zentry *zc_find(const uint8_t *key, size_t klen, uint64_t digest)
{
    for (size_t i = 0; i < zc.count; i++) {
        zentry *z = &zc.e[i];

        if (z->digest == digest && z->klen == klen && memcmp(z->key, key, klen) == 0)
            return z;
    }
    return NULL;
}

/* Keeps *Z (moved in: the caller's copy is cleared) after making room; returns the kept
 * entry, or NULL when it does not fit at all (then *Z stays the caller's). */
static zentry *zc_keep(zentry *z)
{
    size_t size = zentry_size(z);

    if (!zc.limits_set) {
        zc.max_entries = PDF_ZCACHE_ENTRIES;
        zc.max_bytes = PDF_ZCACHE_BYTES;
        zc.limits_set = 1;
    }
    if (zc.max_entries == 0 || size > zc.max_bytes)
        return NULL;
    if (!zc.registered) {
        atexit(pdfout_cache_clear);
        zc.registered = 1;
    }
    while (zc.count > 0 && (zc.count >= zc.max_entries || zc.bytes + size > zc.max_bytes)) {
        size_t old = 0;

        for (size_t i = 1; i < zc.count; i++)
            if (zc.e[i].used < zc.e[old].used)
                old = i;
        zc.bytes -= zentry_size(&zc.e[old]);
        zentry_free(&zc.e[old]);
        zc.e[old] = zc.e[--zc.count];
    }
    if (!zc.e)
        zc.e = xcalloc(zc.max_entries, sizeof *zc.e);
    zc.e[zc.count] = *z;
    zc.bytes += size;
    memset(z, 0, sizeof *z);
    return &zc.e[zc.count++];
}

/* All of memory stream S's bytes in a new allocation (*LEN of them), copied from its
 * buffers (libharu's own reading copies a byte at a time). NULL when S is no memory stream. */
static uint8_t *stream_bytes(HPDF_Stream s, size_t *len)
{
    HPDF_UINT count = HPDF_MemStream_GetBufCount(s), n;
    size_t at = 0;
    uint8_t *p;

    if (!s || s->type != HPDF_STREAM_MEMORY)
        return NULL;
    *len = HPDF_Stream_Size(s);
    p = xmalloc(*len ? *len : 1);
    for (HPDF_UINT i = 0; i < count && at <= *len; i++, at += n) {
        const HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &n);

        if (!b || at + n > *len)
            break;
        memcpy(p + at, b, n);
    }
    if (at != *len) {
        free(p);
        return NULL;
    }
    return p;
}

/* RAW deflated by libharu's writer, as its save would, into Z->data. 0, or -1. */
static int deflate_into(pdf_state *st, HPDF_Stream raw, zentry *z)
{
    HPDF_Stream out = HPDF_MemStream_New(st->doc->mmgr, HPDF_STREAM_BUF_SIZ);
    int rc = -1;

    if (out && HPDF_Stream_WriteToStream(raw, out, HPDF_STREAM_FILTER_FLATE_DECODE, NULL) == HPDF_OK &&
        (z->data = stream_bytes(out, &z->len)) != NULL)
        rc = 0;
    if (out)
        HPDF_Stream_Free(out);
    return rc == 0 && st->status == HPDF_OK ? 0 : -1;
}

/* The deflated stream for KEY: the kept one (*FRESH untouched), or one made by MAKE(ST,
 * ARG, FRESH) and kept when it fits (else left in *FRESH for the caller to free after use).
 * KEY is copied. NULL after a libharu error. */
static const zentry *zc_get(pdf_state *st, const uint8_t *key, size_t klen,
                            int (*make)(pdf_state *, void *, zentry *), void *arg, zentry *fresh)
{
    uint64_t digest = digest_of(key, klen);
    zentry *z = zc_find(key, klen, digest);

    if (z) {
        zc.hits++;
    } else {
        zc.misses++;
        fresh->key = xmalloc(klen ? klen : 1);
        memcpy(fresh->key, key, klen);
        fresh->klen = klen;
        fresh->digest = digest;
        if (make(st, arg, fresh) != 0) {
            zentry_free(fresh);
            return NULL;
        }
        if ((z = zc_keep(fresh)) == NULL)
            z = fresh; /* too big to keep: used once */
    }
    z->used = ++zc.clock;
    return z;
}

/* The /Filter of a stream whose data is deflated already: libharu must not deflate it
 * again (filter NONE), which also drops the entry; written where libharu puts it. */
static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream s)
{
    (void)obj;
    return HPDF_Stream_WriteStr(s, "/Filter [ /FlateDecode ]\012");
}

static int make_stream(pdf_state *st, void *arg, zentry *z)
{
    return deflate_into(st, (HPDF_Stream)arg, z);
}

/* Replaces stream dictionary D's data by its deflated bytes (kept across documents). */
static int predeflate(pdf_state *st, HPDF_Dict d)
{
    zentry fresh = { 0 };
    const zentry *z;
    uint8_t *raw;
    size_t n;

    if (!d || !d->stream)
        return 0;
    if ((raw = stream_bytes(d->stream, &n)) == NULL)
        return -1;
    z = zc_get(st, raw, n, make_stream, d->stream, &fresh);
    free(raw);
    if (!z)
        return -1;
    HPDF_MemStream_FreeData(d->stream);
    if (HPDF_Stream_Write(d->stream, z->data, (HPDF_UINT)z->len) != HPDF_OK) {
        zentry_free(&fresh);
        return -1;
    }
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = write_flate_filter;
    zentry_free(&fresh);
    return 0;
}

static int make_program(pdf_state *st, void *arg, zentry *z)
{
    HPDF_FontDef def = arg;
    HPDF_Stream raw = HPDF_MemStream_New(st->doc->mmgr, HPDF_STREAM_BUF_SIZ);
    int rc = -1;

    if (raw && HPDF_TTFontDef_SaveFontData(def, raw) == HPDF_OK && deflate_into(st, raw, z) == 0) {
        z->length1 = ((HPDF_TTFontDefAttr)def->attr)->length1;
        rc = 0;
    }
    if (raw)
        HPDF_Stream_Free(raw);
    return rc == 0 && st->status == HPDF_OK ? 0 : -1;
}

/* Gives PF's font its descriptor with the embedded program before libharu's save would
 * make one (the same entries in the same order: see CIDFontType2_BeforeWrite_Func in
 * libharu 2.3.0's hpdf_font_cid.c), and its ToUnicode and CIDToGIDMap their deflated
 * bytes; all from the cache when they were made before. */
static int preset_descriptor(pdf_state *st, pdf_face *pf, const char *path)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)pf->font->attr;
    HPDF_FontDef def = fa ? fa->fontdef : NULL;
    HPDF_TTFontDefAttr da;
    HPDF_Dict desc, data;
    zentry fresh = { 0 };
    const zentry *z;
    HPDF_STATUS ret = HPDF_OK;
    buf key = BUF_INIT;

    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || def->descriptor)
        return 0;
    da = (HPDF_TTFontDefAttr)def->attr;
    if (!da->embedding || !da->glyph_tbl.flgs)
        return 0;
    /* libharu's save copies the font's filter to these two: NONE keeps them as deflated */
    if (pf->font->filter == HPDF_STREAM_FILTER_FLATE_DECODE) {
        if (predeflate(st, fa->cmap_stream) != 0 || predeflate(st, fa->map_stream) != 0)
            return -1;
        pf->font->filter = HPDF_STREAM_FILTER_NONE;
    }
    buf_printf(&key, "%s%c%s%c", path, 0, da->tag_name, 0);
    for (size_t i = 0; i < da->num_glyphs; i++)
        buf_putc(&key, da->glyph_tbl.flgs[i] != 0);
    z = zc_get(st, (const uint8_t *)key.ptr, key.len, make_program, def, &fresh);
    buf_free(&key);
    if (!z)
        return -1;
    desc = HPDF_Dict_New(st->doc->mmgr);
    data = desc ? HPDF_DictStream_New(st->doc->mmgr, fa->xref) : NULL;
    if (!data) {
        zentry_free(&fresh);
        return -1;
    }
    ret += HPDF_Stream_Write(data->stream, z->data, (HPDF_UINT)z->len);
    ret += HPDF_Dict_Add(desc, "FontFile2", data);
    ret += HPDF_Dict_AddNumber(data, "Length1", (HPDF_INT32)z->length1);
    ret += HPDF_Dict_AddNumber(data, "Length2", 0);
    ret += HPDF_Dict_AddNumber(data, "Length3", 0);
    data->filter = HPDF_STREAM_FILTER_NONE;
    data->write_fn = write_flate_filter;
    ret += HPDF_Xref_Add(fa->xref, desc);
    ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    ret += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    ret += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    ret += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(st->doc->mmgr, def->font_bbox));
    ret += HPDF_Dict_AddName(desc, "FontName", da->base_font);
    ret += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    ret += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    ret += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    zentry_free(&fresh);
    if (ret != HPDF_OK)
        return -1;
    def->descriptor = desc;
    return 0;
}

/* Has libharu embed the digits all_digits added (it embeds the glyphs the text shows, and
 * these may not be shown): their widths asked once mark them, composites included. */
static void embed_digits(pdf_face *pf)
{
    if (!pf->def || !pf->used)
        return;
    for (int c = '0'; c <= '9'; c++)
        if (((pf->used[c >> 3] >> (c & 7)) & 1) && HPDF_TTFontDef_GetGlyphid(pf->def, (HPDF_UINT16)c))
            HPDF_TTFontDef_GetCharWidth(pf->def, (HPDF_UINT16)c);
}

/* Presets the descriptor of every embedded face, in the order libharu would have made
 * them (the order the faces were loaded), so that object numbers come out the same. */
static int preset_descriptors(pdf_state *st, const pdf_opts *o)
{
    if (o && o->uncompressed)
        return 0; /* debugging output: libharu's own way, readable */
    for (size_t k = 1; k <= st->nloaded; k++)
        for (size_t i = 0; i < st->nface; i++)
            if (st->face[i].order == k && st->face[i].font &&
                preset_descriptor(st, &st->face[i], font_at(st->pg->fonts, (int)i)->path) != 0) {
                if (check(st, "embedding a font") == 0)
                    diag_error(st->diag, font_at(st->pg->fonts, (int)i)->path, 0, 0,
                               "cannot embed font (out of memory)");
                return -1;
            }
    return 0;
}
#else
static void embed_digits(pdf_face *pf)
{
    (void)pf;
}

static int preset_descriptors(pdf_state *st, const pdf_opts *o)
{
    (void)st;
    (void)o;
    return 0;
}
#endif

/***  The libharu handle kept across documents  ***/

/* Loading a face (HPDF_TTFontDef_Load: table directory, hmtx, cmap, loca, name, OS/2, read
 * through small freads) and setting up the UTF-8 encoders cost a one-page document more
 * than its drawing. libharu 2.3.0 keeps both in the handle across HPDF_NewDoc: HPDF_FreeDoc
 * frees the document's objects and resets each font definition (glyph flags, descriptor,
 * see HPDF_FontDef_Cleanup), not the definitions themselves. So a worker keeps one handle
 * and the faces it loaded (by file), and starts each document with HPDF_NewDoc. What
 * could carry over from one document to the next is set again for each: the subset tag
 * (HPDFAA+ for the first face the document loads, as a fresh handle counts), the cmap
 * narrowing (put back after each), the current encoder and compression. A document that
 * failed drops the handle, so that no half state is kept; so does a handle with more than
 * PDF_KEEP_FACES faces (memory and open files stay bounded). Other libharu versions get a
 * fresh handle per document. */
#define PDF_KEEP_FACES 16

static struct {
    HPDF_Doc doc;
    char *path[PDF_KEEP_FACES];
    char *name[PDF_KEEP_FACES];
    size_t n;
    int full; /* a face beyond PDF_KEEP_FACES was loaded: drop the handle after this one */
    int registered;
} kept;

static void drop_doc(void)
{
    if (kept.doc)
        HPDF_Free(kept.doc);
    kept.doc = NULL;
    for (size_t i = 0; i < kept.n; i++) {
        free(kept.path[i]);
        free(kept.name[i]);
    }
    kept.n = 0;
    kept.full = 0;
}

/* ST's libharu document: the kept handle, emptied, or a new one. 0, or -1. */
static int open_doc(pdf_state *st)
{
    writing = st;
#if PDF_NARROW_CMAP
    if (kept.doc) {
        st->doc = kept.doc;
        return HPDF_NewDoc(kept.doc) == HPDF_OK ? 0 : -1;
    }
#endif
    st->doc = HPDF_New(on_hpdf_error, NULL);
    if (!st->doc)
        return -1;
    HPDF_UseUTFEncodings(st->doc);
#if PDF_NARROW_CMAP
    kept.doc = st->doc;
    if (!kept.registered) {
        atexit(drop_doc);
        kept.registered = 1;
    }
#endif
    return 0;
}

/* Ends ST's document: its objects freed, the handle kept for the next when it went well. */
static void close_doc(pdf_state *st, int ok)
{
    if (st->doc && st->doc == kept.doc) {
        if (ok && !kept.full)
            HPDF_FreeDoc(kept.doc);
        else
            drop_doc();
    } else if (st->doc) {
        HPDF_Free(st->doc);
    }
    st->doc = NULL;
    writing = NULL;
}

/* The libharu name of the face in PATH, loading it into the handle the first time. */
static const char *load_face(pdf_state *st, const char *path)
{
    const char *name;

    for (size_t i = 0; i < kept.n; i++)
        if (st->doc == kept.doc && strcmp(kept.path[i], path) == 0)
            return kept.name[i];
    name = HPDF_LoadTTFontFromFile(st->doc, path, HPDF_TRUE);
    if (name && st->doc == kept.doc) {
        if (kept.n == PDF_KEEP_FACES) {
            kept.full = 1;
            return name;
        }
        kept.path[kept.n] = xstrdup(path);
        kept.name[kept.n++] = xstrdup(name);
    }
    return name;
}

#if PDF_NARROW_CMAP
/* Tags the subset of DEF as a fresh handle would for the K-th face a document loads
 * (1: HPDFAA, 2: HPDFAB, ...), whatever the kept handle loaded before. */
static void tag_face(HPDF_FontDef def, size_t k)
{
    char tag[7] = "HPDFAA";

    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE)
        return;
    while (--k > 0)
        for (int i = 5; i >= 0; i--) {
            if (++tag[i] <= 'Z')
                break;
            tag[i] = 'A';
        }
    HPDF_TTFontDef_SetTagName(def, tag);
}
#else
static void tag_face(HPDF_FontDef def, size_t k)
{
    (void)def;
    (void)k;
}
#endif

#if PDF_NARROW_CMAP
/* libharu's CIDFontType2_New walks all 65,536 codes of a UTF-8 font: a glyph lookup and a
 * width for each, and a 128 KB CIDToGIDMap built and copied a byte at a time (45% of the
 * instructions of a one-page document, callgrind). Given a CMap encoder (its to_unicode_fn
 * HPDF_CMapEncoder_ToUnicode) it walks only the codes that have a CID. So for the one call
 * the UTF-8 encoder's tables list just the code points the face shows (CID = code point,
 * as Identity-H has it), plus one past the highest (libharu's width and map loops stop
 * before their maximum; it maps to glyph 0, whose width is the default and so is left out
 * of /W), and are put back right after. The font comes out as before: the same /W, and the
 * CIDToGIDMap as shorten_cid_map cut it. */
static HPDF_Font get_font(pdf_state *st, pdf_face *pf, const char *name)
{
    HPDF_Encoder enc = HPDF_GetEncoder(st->doc, "UTF-8");
    HPDF_CMapEncoderAttr ea;
    HPDF_Encoder_ToUnicode_Func fn;
    HPDF_TTFontDefAttr da;
    HPDF_Font font;
    uint8_t *save;
    uint32_t lo, hi;

    if (!pf->def || !enc || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE || !enc->attr)
        return HPDF_GetFont(st->doc, name, "UTF-8");
    ea = (HPDF_CMapEncoderAttr)enc->attr;
    da = (HPDF_TTFontDefAttr)pf->def->attr;
    lo = da->cmap.start_count[0]; /* the narrowed cmap's one segment */
    hi = da->cmap.end_count[0];
    save = xmalloc(sizeof ea->unicode_map + sizeof ea->cid_map);
    memcpy(save, ea->unicode_map, sizeof ea->unicode_map);
    memcpy(save + sizeof ea->unicode_map, ea->cid_map, sizeof ea->cid_map);
    memset(ea->cid_map, 0, sizeof ea->cid_map);
    for (uint32_t cp = lo ? lo : 1; cp <= hi + 1 && cp < 0xFFFF; cp++)
        if (cp == hi + 1 || ((pf->used[cp >> 3] >> (cp & 7)) & 1)) {
            ea->cid_map[cp >> 8][cp & 255] = (HPDF_UINT16)cp;
            ea->unicode_map[cp >> 8][cp & 255] = (HPDF_UNICODE)cp;
        }
    fn = enc->to_unicode_fn;
    enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
    font = HPDF_GetFont(st->doc, name, "UTF-8");
    enc->to_unicode_fn = fn;
    memcpy(ea->unicode_map, save, sizeof ea->unicode_map);
    memcpy(ea->cid_map, save + sizeof ea->unicode_map, sizeof ea->cid_map);
    free(save);
    return font;
}
#else
static HPDF_Font get_font(pdf_state *st, pdf_face *pf, const char *name)
{
    (void)pf;
    return HPDF_GetFont(st->doc, name, "UTF-8");
}
#endif

/* The libharu font for face FI, embedding it on first use; NULL after reporting. */
static HPDF_Font font_for(pdf_state *st, int fi)
{
    const face *f = st->pg->fonts ? font_at(st->pg->fonts, fi) : NULL;
    const char *name;

    if (!f) {
        diag_error(st->diag, st->path, 0, 0, "text run refers to unknown font face %d", fi);
        return NULL;
    }
    if (st->face[fi].font)
        return st->face[fi].font;
    name = load_face(st, f->path);
    if (name) {
        HPDF_FontDef def = HPDF_GetFontDef(st->doc, name);

        tag_face(def, st->nloaded + 1);
        narrow_cmap(&st->face[fi], def);
        st->face[fi].font = get_font(st, &st->face[fi], name);
    }
    if (st->face[fi].font) {
        st->face[fi].order = ++st->nloaded;
        embed_digits(&st->face[fi]);
        fix_to_unicode(st->face[fi].font);
        shorten_cid_map(&st->face[fi]);
    }
    if (!st->face[fi].font || st->status != HPDF_OK) {
        diag_error(st->diag, f->path, 0, 0, "cannot embed font (libharu error 0x%04X)",
                   (unsigned)st->status);
        return NULL;
    }
    return st->face[fi].font;
}

/***  Drawing  ***/

static void end_text(pdf_state *st, HPDF_Page p)
{
    if (st->in_text) {
        HPDF_Page_EndText(p);
        st->in_text = 0;
    }
}

static void set_fill(pdf_state *st, HPDF_Page p, rgba c)
{
    if (st->fill_known && st->cur_fill.r == c.r && st->cur_fill.g == c.g && st->cur_fill.b == c.b)
        return;
    HPDF_Page_SetRGBFill(p, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
    st->cur_fill = c;
    st->fill_known = 1;
}

/* Sets the fill or stroke opacity to A/255 through an ExtGState (one per value, made on
 * first use; the document becomes PDF 1.4). Only outside text objects, as libharu wants. */
static void set_alpha(pdf_state *st, HPDF_Page p, uint8_t a, int stroke)
{
    uint8_t *cur = stroke ? &st->stroke_alpha : &st->fill_alpha;
    HPDF_ExtGState *gs = stroke ? &st->gs_stroke[a] : &st->gs_fill[a];

    if (*cur == a)
        return;
    end_text(st, p);
    if (!*gs) {
        *gs = HPDF_CreateExtGState(st->doc);
        if (!*gs)
            return;
        if (stroke)
            HPDF_ExtGState_SetAlphaStroke(*gs, a / 255.0f);
        else
            HPDF_ExtGState_SetAlphaFill(*gs, a / 255.0f);
    }
    HPDF_Page_SetExtGState(p, *gs);
    *cur = a;
}

static void set_stroke(HPDF_Page p, rgba c, float width, pg_dash dash)
{
    HPDF_UINT16 ptn[2];
    float w = clampf(width, 0.0f, HPDF_MAX_LINEWIDTH);
    HPDF_UINT16 unit = (HPDF_UINT16)clampf(roundf(w), 1, HPDF_MAX_DASH_PATTERN / 3);

    HPDF_Page_SetRGBStroke(p, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
    HPDF_Page_SetLineWidth(p, w);
    switch (dash) {
    case PG_DOTTED: /* square dots one line width apart, as browsers draw them */
        ptn[0] = ptn[1] = unit;
        HPDF_Page_SetDash(p, ptn, 2, 0);
        break;
    case PG_DASHED:
        ptn[0] = ptn[1] = (HPDF_UINT16)(3 * unit);
        HPDF_Page_SetDash(p, ptn, 2, 0);
        break;
    default:
        HPDF_Page_SetDash(p, NULL, 0, 0);
        break;
    }
}

static int finite4(float a, float b, float c, float d)
{
    return isfinite(a) && isfinite(b) && isfinite(c) && isfinite(d);
}

/* Puts the text origin at X, Y with scale K. A relative Td costs a third of a Tm in
 * libharu (two numbers instead of six, through its slow number formatting), and a justified
 * line is one run per word: the words after the first on a baseline move with Td, each
 * line starts with an absolute Tm. libharu writes 5 decimals, so the moves of one line may
 * drift by 1e-4 pt at most, and never further. */
static void move_to(pdf_state *st, HPDF_Page p, float x, float y, float k)
{
    if (k == 1 && st->line_k == 1 && (double)y == st->line_y) {
        double dx = round(((double)x - st->line_x) * 1000) / 1000;

        HPDF_Page_MoveTextPos(p, (HPDF_REAL)dx, 0);
        st->line_x += dx;
        return;
    }
    HPDF_Page_SetTextMatrix(p, k, 0, 0, k, x, y);
    st->line_x = x;
    st->line_y = y;
    st->line_k = k;
}

/* Puts the text origin at X, Y for a run turned ANGLE degrees counter-clockwise about its
 * baseline start (chart labels): always a full Tm, and the next run sets its own. */
static void move_rotated(pdf_state *st, HPDF_Page p, float x, float y, float k, float angle)
{
    double r = (double)angle * M_PI / 180, c = cos(r) * k, s = sin(r) * k;

    HPDF_Page_SetTextMatrix(p, (HPDF_REAL)c, (HPDF_REAL)s, (HPDF_REAL)-s, (HPDF_REAL)c, x, y);
    st->line_k = 0;
}

static int draw_text(pdf_state *st, HPDF_Page p, const pg_text *t)
{
    HPDF_Font f;
    float size = t->size, k = 1;

    if (t->len == 0 || t->color.a == 0 || !(size > 0) || !finite4(t->x, t->y, size, 0))
        return 0;
    if (!(f = font_for(st, t->face)))
        return -1;
    if (size > PDF_MAX_FONT_SIZE) {
        k = size / PDF_MAX_FONT_SIZE;
        size = PDF_MAX_FONT_SIZE;
    }
    set_alpha(st, p, t->color.a, 0);
    if (!st->in_text) {
        HPDF_Page_BeginText(p);
        st->in_text = 1;
        st->line_x = st->line_y = 0;
        st->line_k = 0; /* the first run sets the matrix */
    }
    if (f != st->cur_font || size != st->cur_size) {
        HPDF_Page_SetFontAndSize(p, f, size);
        st->cur_font = f;
        st->cur_size = size;
    }
    set_fill(st, p, t->color);
    for (size_t at = 0, n; at < t->len; at += n) {
        float w = at ? font_width(st->pg->fonts, t->face, t->text, at, t->size) : 0;
        int turned = t->angle != 0 && isfinite(t->angle);
        double r = turned ? (double)t->angle * M_PI / 180 : 0;
        float x = t->x + (float)(w * cos(r)), y = t->y + (float)(w * sin(r));

        n = t->len - at;
        if (n > PDF_MAX_RUN) { /* cut at a character boundary */
            n = PDF_MAX_RUN;
            while (n > 1 && (t->text[at + n] & 0xC0) == 0x80)
                n--;
        }
        if (turned)
            move_rotated(st, p, x, y, k, t->angle);
        else
            move_to(st, p, x, y, k);
        buf_reset(&st->text);
        buf_put(&st->text, t->text + at, n);
        HPDF_Page_ShowText(p, buf_cstr(&st->text));
    }
    return 0;
}

static void draw_rect(pdf_state *st, HPDF_Page p, const pg_rect *r)
{
    int fill = r->fill.a != 0, stroke = r->stroke.a != 0 && r->line_width > 0;

    if (!finite4(r->x, r->y, r->w, r->h) || !isfinite(r->line_width) || (!fill && !stroke))
        return;
    end_text(st, p);
    if (fill) {
        set_alpha(st, p, r->fill.a, 0);
        set_fill(st, p, r->fill);
    }
    if (stroke) {
        set_alpha(st, p, r->stroke.a, 1);
        set_stroke(p, r->stroke, r->line_width, PG_SOLID);
    }
    HPDF_Page_Rectangle(p, r->x, r->y, r->w, r->h);
    if (fill && stroke)
        HPDF_Page_FillStroke(p);
    else if (fill)
        HPDF_Page_Fill(p);
    else
        HPDF_Page_Stroke(p);
}

static void draw_line(pdf_state *st, HPDF_Page p, const pg_line *l)
{
    if (l->color.a == 0 || !(l->width > 0) || !finite4(l->x1, l->y1, l->x2, l->y2))
        return;
    end_text(st, p);
    set_alpha(st, p, l->color.a, 1);
    set_stroke(p, l->color, l->width, l->dash);
    HPDF_Page_MoveTo(p, l->x1, l->y1);
    HPDF_Page_LineTo(p, l->x2, l->y2);
    HPDF_Page_Stroke(p);
}

static void draw_path(pdf_state *st, HPDF_Page p, const pg_path *pa)
{
    int fill = pa->fill.a != 0, stroke = pa->stroke.a != 0 && pa->line_width > 0;
    const float *pt = pa->pt;
    int open = 0;

    if ((!fill && !stroke) || pa->nop == 0)
        return;
    end_text(st, p);
    if (fill) {
        set_alpha(st, p, pa->fill.a, 0);
        set_fill(st, p, pa->fill);
    }
    if (stroke) {
        set_alpha(st, p, pa->stroke.a, 1);
        set_stroke(p, pa->stroke, pa->line_width, pa->dash);
    }
    for (size_t i = 0; i < pa->nop; i++) {
        switch (pa->op[i]) {
        case PG_MOVE:
            HPDF_Page_MoveTo(p, pt[0], pt[1]);
            pt += 2;
            open = 1;
            break;
        case PG_LINETO:
            if (open) /* a LINETO before any MOVE would be a PDF syntax error */
                HPDF_Page_LineTo(p, pt[0], pt[1]);
            pt += 2;
            break;
        case PG_CLOSE:
            if (open)
                HPDF_Page_ClosePath(p);
            break;
        }
    }
    if (!open)
        return;
    if (fill && stroke)
        HPDF_Page_FillStroke(p);
    else if (fill)
        HPDF_Page_Fill(p);
    else
        HPDF_Page_Stroke(p);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);

    return n >= m && strcasecmp(s + n - m, suf) == 0;
}

/* The image at PATH, loaded once per document; NULL (warned once) when it does not load. */
static HPDF_Image image_for(pdf_state *st, const char *path)
{
    pdf_image *im;

    for (size_t i = 0; i < st->nimage; i++)
        if (strcmp(st->image[i].path, path) == 0)
            return st->image[i].img;
    if (st->nimage == st->image_cap) {
        st->image_cap = st->image_cap ? st->image_cap * 2 : 8;
        st->image = xrealloc(st->image, st->image_cap * sizeof *st->image);
    }
    im = &st->image[st->nimage++];
    im->path = path;
    if (has_suffix(path, ".jpg") || has_suffix(path, ".jpeg"))
        im->img = HPDF_LoadJpegImageFromFile(st->doc, path);
    else
        im->img = HPDF_LoadPngImageFromFile(st->doc, path);
    if (!im->img || st->status != HPDF_OK) {
        diag_warning(st->diag, path, 0, 0, "image not embedded: libharu cannot read it (error 0x%04X)",
                     (unsigned)st->status);
        im->img = NULL;
        HPDF_ResetError(st->doc);
        st->status = HPDF_OK;
    }
    return im->img;
}

static void draw_image(pdf_state *st, HPDF_Page p, const pg_image *im)
{
    HPDF_Image img;

    if (!im->path || !finite4(im->x, im->y, im->w, im->h) || !(img = image_for(st, im->path)))
        return;
    end_text(st, p);
    HPDF_Page_DrawImage(p, img, im->x, im->y, im->w, im->h);
}

/* A destination at height Y of page NO (clamped into the document and the page). */
static HPDF_Destination dest(pdf_state *st, size_t no, float y)
{
    HPDF_Page tp;
    HPDF_Destination dst;

    if (st->pg->count == 0)
        return NULL;
    if (no >= st->pg->count)
        no = st->pg->count - 1;
    tp = st->hpage[no];
    dst = HPDF_Page_CreateDestination(tp);
    if (dst)
        HPDF_Destination_SetXYZ(dst, 0, clampf(isfinite(y) ? y : 0, 0, HPDF_Page_GetHeight(tp)), 1);
    return dst;
}

static void draw_link(pdf_state *st, HPDF_Page p, const pg_link *l)
{
    HPDF_Rect r = { l->x, l->y, l->x + l->w, l->y + l->h };
    HPDF_Annotation a = NULL;

    if (!finite4(l->x, l->y, l->w, l->h))
        return;
    if (l->uri) {
        if (strlen(l->uri) > PDF_MAX_STRING) {
            diag_warning(st->diag, st->path, 0, 0, "link target longer than %d bytes left unlinked",
                         PDF_MAX_STRING);
            return;
        }
        a = HPDF_Page_CreateURILinkAnnot(p, r, l->uri);
    } else if (l->anchor) {
        const pg_anchor *an = pages_lookup_anchor(st->pg, l->anchor);

        if (!an) {
            diag_warning(st->diag, st->path, 0, 0, "link to unknown anchor '#%s' left unlinked",
                         l->anchor);
            return;
        }
        a = HPDF_Page_CreateLinkAnnot(p, r, dest(st, an->page, an->y));
    }
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

static int draw_page(pdf_state *st, size_t no)
{
    const page *pg = &st->pg->page[no];
    HPDF_Page p = st->hpage[no];

    st->in_text = 0;
    st->cur_font = NULL;
    st->cur_size = 0;
    st->fill_known = 0;
    st->fill_alpha = st->stroke_alpha = 255;
    for (size_t i = 0; i < pg->count; i++) {
        const pg_item *it = &pg->item[i];

        if (it->kind != PG_TEXT)
            end_text(st, p);
        switch (it->kind) {
        case PG_TEXT:
            if (draw_text(st, p, &it->u.text) != 0)
                return -1;
            break;
        case PG_RECT:
            draw_rect(st, p, &it->u.rect);
            break;
        case PG_LINE:
            draw_line(st, p, &it->u.line);
            break;
        case PG_IMAGE:
            draw_image(st, p, &it->u.image);
            break;
        case PG_PATH:
            draw_path(st, p, &it->u.path);
            break;
        case PG_LINK:
            draw_link(st, p, &it->u.link);
            break;
        default:
            assert(!"unhandled page item");
        }
    }
    end_text(st, p);
    return check(st, "drawing a page");
}

/* Bookmarks nested by level: each hangs under the nearest earlier one of a lower level. */
static void add_outline(pdf_state *st)
{
    HPDF_Outline parent[PDF_MAX_OUTLINE_DEPTH + 1] = { NULL };
    int plevel[PDF_MAX_OUTLINE_DEPTH + 1] = { 0 };
    int depth = 0;
    HPDF_Encoder utf8 = HPDF_GetEncoder(st->doc, "UTF-8");

    for (size_t i = 0; i < st->pg->noutline; i++) {
        const pg_outline *o = &st->pg->outline[i];
        HPDF_Outline ol;

        while (depth > 0 && plevel[depth] >= o->level)
            depth--;
        ol = HPDF_CreateOutline(st->doc, parent[depth], clip(st, o->title ? o->title : ""), utf8);
        if (!ol)
            return;
        HPDF_Outline_SetOpened(ol, HPDF_TRUE);
        HPDF_Outline_SetDestination(ol, dest(st, o->page, o->y));
        if (depth < PDF_MAX_OUTLINE_DEPTH) {
            parent[++depth] = ol;
            plevel[depth] = o->level;
        }
    }
    if (st->pg->noutline)
        HPDF_SetPageMode(st->doc, HPDF_PAGE_MODE_USE_OUTLINE);
}

/***  Output  ***/

static int save(pdf_state *st, const char *path)
{
    HPDF_UINT32 size, n;
    HPDF_BYTE *data = NULL;
    int rc;

    if (HPDF_SaveToStream(st->doc) != HPDF_OK || check(st, "writing the document") != 0)
        return -1;
    size = HPDF_GetStreamSize(st->doc);
#if PDF_NARROW_CMAP
    size_t len;

    data = stream_bytes(st->doc->stream, &len); /* straight from its buffers */
    n = data ? (HPDF_UINT32)len : 0;
#endif
    if (!data) {
        data = xmalloc(size ? size : 1);
        n = size;
        HPDF_ResetStream(st->doc);
        HPDF_ReadFromStream(st->doc, data, &n); /* returns HPDF_STREAM_EOF with all of it */
    }
    if (n != size) {
        free(data);
        diag_error(st->diag, path, 0, 0, "PDF writer returned %u of %u bytes", (unsigned)n,
                   (unsigned)size);
        return -1;
    }
    rc = fileio_write_atomic(path, data, size, st->diag);
    free(data);
    return rc;
}

int pdfout_write(const pages *pg, const pdf_opts *o, const char *path, diag *d)
{
    pdf_state st = { .diag = d, .path = path, .pg = pg };
    size_t nfaces = pg->fonts ? font_count(pg->fonts) : 0;
    int rc = -1;

    st.hpage = xcalloc(pg->count ? pg->count : 1, sizeof *st.hpage);
    st.face = xcalloc(nfaces ? nfaces : 1, sizeof *st.face);
    st.nface = nfaces;
    if (open_doc(&st) != 0) {
        diag_error(d, path, 0, 0, "cannot start the PDF writer (out of memory)");
        goto out;
    }
    HPDF_SetCompressionMode(st.doc, o && o->uncompressed ? HPDF_COMP_NONE : HPDF_COMP_ALL);
    set_info(&st, o);
    if (check(&st, "setting up the document") != 0)
        goto out;
    for (size_t i = 0; i < pg->count; i++) {
        st.hpage[i] = HPDF_AddPage(st.doc);
        HPDF_Page_SetWidth(st.hpage[i], clampf(pg->page[i].width, 3, 14400));
        HPDF_Page_SetHeight(st.hpage[i], clampf(pg->page[i].height, 3, 14400));
    }
    if (check(&st, "adding pages") != 0)
        goto out;
    mark_used(&st);
    for (size_t i = 0; i < pg->count; i++)
        if (draw_page(&st, i) != 0)
            goto out;
    add_outline(&st);
    if (check(&st, "adding bookmarks") != 0 || preset_descriptors(&st, o) != 0)
        goto out;
    rc = save(&st, path);
out:
    for (size_t i = 0; i < st.nface; i++) {
        restore_cmap(&st.face[i]);
        free(st.face[i].used);
    }
    close_doc(&st, rc == 0 && st.status == HPDF_OK);
    free(st.hpage);
    free(st.face);
    free(st.image);
    buf_free(&st.text);
    buf_free(&st.clip);
    return rc;
}
