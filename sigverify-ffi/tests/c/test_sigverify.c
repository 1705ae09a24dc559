/*
 * C unit tests of libsigverify: every exported function, NULL and invalid
 * arguments, truncated and garbage inputs, double-free-safe patterns and many
 * threads sharing one verifier. Run under valgrind by `make ffi-test`.
 *
 *   test_sigverify TEST_VECTORS_DIR
 *
 * TEST_VECTORS_DIR is the repository's test-vectors/ directory.
 */
#define _POSIX_C_SOURCE 200809L

#include <sigverify.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- A tiny test framework ---------------------------------------------- */

static int checks, failures;

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        checks++;                                                                         \
        if (!(cond)) {                                                                    \
            failures++;                                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                                 \
    } while (0)

#define CHECK_RC(expr, want)                                                              \
    do {                                                                                  \
        int32_t rc_ = (expr);                                                             \
        checks++;                                                                         \
        if (rc_ != (want)) {                                                              \
            failures++;                                                                   \
            fprintf(stderr, "%s:%d: %s returned %d (%s), want %d\n", __FILE__, __LINE__,  \
                    #expr, rc_, sigverify_result_str(rc_), (int)(want));                  \
        }                                                                                 \
    } while (0)

/* A failed call must store an error object with the same code and leave the
 * output alone: `out` is set to a sentinel first and must still hold it. */
static char sentinel_byte;
#define SENTINEL ((void *)&sentinel_byte)

#define CHECK_FAILS(expr, want, err, out)                                                 \
    do {                                                                                  \
        (out) = SENTINEL;                                                                 \
        CHECK_RC(expr, want);                                                             \
        CHECK((void *)(out) == SENTINEL);                                                 \
        (out) = NULL;                                                                     \
        CHECK((err) != NULL);                                                             \
        CHECK(sigverify_error_code(err) == (want));                                       \
        CHECK(strlen(sigverify_error_message(err)) > 0);                                  \
        sigverify_error_free(err);                                                        \
        (err) = NULL;                                                                     \
    } while (0)

/* ---- Fixtures ----------------------------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t len;
} buf;

static const char *vectors;

static buf slurp(const char *rel) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", vectors, rel);
    buf b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.data = malloc(n > 0 ? (size_t)n : 1);
    b.len = fread(b.data, 1, (size_t)n, f);
    fclose(f);
    return b;
}

static char *path_of(const char *rel) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", vectors, rel);
    return path;
}

#define IDENTITY                                                                                   \
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/"     \
    "workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
#define ISSUER "https://token.actions.githubusercontent.com"
#define ARTIFACT_SHA256 "a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"

static buf artifact, bundle_v03, bundle_v01, bundle_dsse, bundle_key, key_pem, key_root_json;
static sigverify_verifier *prod;   /* production root, default options */
static sigverify_verifier *key_v;  /* the managed-key case's own root */
static sigverify_policy *id_policy, *key_policy;

static void load_fixtures(void) {
    sigverify_error *err = NULL;
    sigverify_trusted_root *root = NULL;
    artifact = slurp("conformance/a.txt");
    bundle_v03 = slurp("conformance/happy-path-v0.3/bundle.sigstore.json");
    bundle_v01 = slurp("conformance/happy-path-v0.1/bundle.sigstore.json");
    bundle_dsse = slurp("conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json");
    bundle_key = slurp("conformance/managed-key-and-trusted-root/bundle.sigstore.json");
    key_pem = slurp("conformance/managed-key-and-trusted-root/key.pub");
    key_root_json = slurp("conformance/managed-key-and-trusted-root/trusted_root.json");
    if (sigverify_trusted_root_production(&root, &err) != SIGVERIFY_OK ||
        sigverify_verifier_new(root, &prod, &err) != SIGVERIFY_OK) {
        fprintf(stderr, "fixture: %s\n", sigverify_error_message(err));
        exit(2);
    }
    sigverify_trusted_root_free(root);
    root = NULL;
    if (sigverify_trusted_root_from_json(key_root_json.data, key_root_json.len, &root, &err) !=
            SIGVERIFY_OK ||
        sigverify_verifier_new(root, &key_v, &err) != SIGVERIFY_OK ||
        sigverify_policy_new_identity(IDENTITY, ISSUER, 0, &id_policy, &err) != SIGVERIFY_OK ||
        sigverify_policy_new_public_key(key_pem.data, key_pem.len, &key_policy, &err) !=
            SIGVERIFY_OK) {
        fprintf(stderr, "fixture: %s\n", sigverify_error_message(err));
        exit(2);
    }
    sigverify_trusted_root_free(root);
}

static void free_fixtures(void) {
    sigverify_verifier_free(prod);
    sigverify_verifier_free(key_v);
    sigverify_policy_free(id_policy);
    sigverify_policy_free(key_policy);
    buf *all[] = {&artifact, &bundle_v03, &bundle_v01, &bundle_dsse, &bundle_key, &key_pem,
                  &key_root_json};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) free(all[i]->data);
}

/* Verify the v0.3 happy path from memory; the caller frees the result. */
static sigverify_verified *verify_v03(void) {
    sigverify_verified *v = NULL;
    sigverify_error *err = NULL;
    int32_t rc = sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                  artifact.len, id_policy, &v, &err);
    if (rc != SIGVERIFY_OK) {
        fprintf(stderr, "verify_v03: %d %s: %s\n", rc, sigverify_error_step(err),
                sigverify_error_message(err));
        sigverify_error_free(err);
    }
    return v;
}

static int is_hex(const char *s, size_t len) {
    if (s == NULL || strlen(s) != len) return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return 0;
    return 1;
}

/* ---- Tests -------------------------------------------------------------- */

static void test_version_and_codes(void) {
    CHECK(strcmp(sigverify_version(), SIGVERIFY_VERSION_STRING) == 0);
    const struct {
        int32_t code;
        const char *step;
    } codes[] = {
        {SIGVERIFY_OK, "ok"},
        {SIGVERIFY_ERR_PARSE, "parse"},
        {SIGVERIFY_ERR_UNSUPPORTED_VERSION, "unsupported-version"},
        {SIGVERIFY_ERR_TRUSTED_ROOT, "trusted-root"},
        {SIGVERIFY_ERR_TLOG_BODY_MISMATCH, "tlog-body-mismatch"},
        {SIGVERIFY_ERR_SET, "set"},
        {SIGVERIFY_ERR_INCLUSION_PROOF, "inclusion-proof"},
        {SIGVERIFY_ERR_CHECKPOINT, "checkpoint"},
        {SIGVERIFY_ERR_TIMESTAMP, "timestamp"},
        {SIGVERIFY_ERR_TIME_WINDOW, "time-window"},
        {SIGVERIFY_ERR_CHAIN, "chain"},
        {SIGVERIFY_ERR_SCT, "sct"},
        {SIGVERIFY_ERR_SIGNATURE, "signature"},
        {SIGVERIFY_ERR_ARTIFACT_MISMATCH, "artifact-mismatch"},
        {SIGVERIFY_ERR_IDENTITY, "identity"},
        {SIGVERIFY_ERR_POLICY_MISUSE, "policy-misuse"},
        {SIGVERIFY_ERR_LIMIT, "limit"},
        {SIGVERIFY_ERR_TLOG, "tlog"},
        {SIGVERIFY_ERR_NULL_ARGUMENT, "null-argument"},
        {SIGVERIFY_ERR_INVALID_UTF8, "invalid-utf8"},
        {SIGVERIFY_ERR_IO, "io"},
        {SIGVERIFY_ERR_PANIC, "panic"},
        {SIGVERIFY_ERR_INVALID_ARGUMENT, "invalid-argument"},
        {SIGVERIFY_ERR_NOT_FOUND, "not-found"},
        {SIGVERIFY_ERR_UNREPRESENTABLE, "unrepresentable"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = sigverify_result_str(codes[i].code);
        size_t n = strlen(codes[i].step);
        CHECK(s != NULL && strncmp(s, codes[i].step, n) == 0 && s[n] == ':');
        CHECK(sigverify_result_str(codes[i].code) == s); /* static, stable */
    }
    CHECK(strcmp(sigverify_result_str(-1), "unknown status code") == 0);
    CHECK(strcmp(sigverify_result_str(18), "unknown status code") == 0);
    CHECK(strcmp(sigverify_result_str(INT32_MAX), "unknown status code") == 0);
}

static void test_error_object(void) {
    /* NULL error handles are safe everywhere. */
    CHECK(sigverify_error_code(NULL) == SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK(strcmp(sigverify_error_step(NULL), "") == 0);
    CHECK(strcmp(sigverify_error_message(NULL), "") == 0);
    sigverify_error_free(NULL);

    /* A real failure: code, step and message agree with the return value. */
    sigverify_error *err = NULL;
    sigverify_verified *v = NULL;
    sigverify_policy *other = NULL;
    CHECK_RC(sigverify_policy_new_identity("https://example.com/someone-else", ISSUER, 0, &other,
                                           &err),
             SIGVERIFY_OK);
    CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data, artifact.len,
                              other, &v, &err),
             SIGVERIFY_ERR_IDENTITY);
    CHECK(v == NULL);
    CHECK(sigverify_error_code(err) == SIGVERIFY_ERR_IDENTITY);
    CHECK(strcmp(sigverify_error_step(err), "identity") == 0);
    CHECK(strstr(sigverify_error_message(err), "someone-else") != NULL);
    sigverify_error_free(err);
    err = NULL;
    sigverify_error_free(err); /* the double-free-safe pattern: free, NULL, free */

    /* err == NULL: the caller opts out of error objects and still gets the code. */
    CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data, artifact.len,
                              other, &v, NULL),
             SIGVERIFY_ERR_IDENTITY);
    CHECK(v == NULL);
    sigverify_policy_free(other);
}

static void test_trusted_roots(void) {
    sigverify_error *err = NULL;
    sigverify_trusted_root *root = NULL;
    sigverify_verifier *v = NULL;

    CHECK_RC(sigverify_trusted_root_production(&root, &err), SIGVERIFY_OK);
    CHECK(root != NULL && err == NULL);
    sigverify_trusted_root_free(root);
    root = NULL;
    CHECK_RC(sigverify_trusted_root_staging(&root, &err), SIGVERIFY_OK);
    CHECK(root != NULL);
    /* The verifier keeps what it needs: the root may be freed first. */
    CHECK_RC(sigverify_verifier_new(root, &v, &err), SIGVERIFY_OK);
    sigverify_trusted_root_free(root);
    root = NULL;
    sigverify_verified *res = NULL;
    /* A production bundle does not chain to the staging root. */
    int32_t rc = sigverify_verify(v, bundle_v03.data, bundle_v03.len, artifact.data,
                                  artifact.len, id_policy, &res, NULL);
    CHECK(rc != SIGVERIFY_OK && res == NULL);
    sigverify_verifier_free(v);
    v = NULL;

    CHECK_RC(sigverify_trusted_root_from_json(key_root_json.data, key_root_json.len, &root, &err),
             SIGVERIFY_OK);
    sigverify_trusted_root_free(root);
    root = NULL;

    /* Truncated, garbage and empty roots are refused with an error object. */
    for (size_t cut = 0; cut < key_root_json.len; cut += key_root_json.len / 13 + 1) {
        rc = sigverify_trusted_root_from_json(key_root_json.data, cut, &root, &err);
        CHECK(rc == SIGVERIFY_ERR_PARSE || rc == SIGVERIFY_ERR_TRUSTED_ROOT);
        CHECK(root == NULL && err != NULL && sigverify_error_code(err) == rc);
        sigverify_error_free(err);
        err = NULL;
    }
    static const uint8_t garbage[] = {0xff, 0x00, 0x7b, 0x22, 0x5b, 0x5d, 0x01};
    rc = sigverify_trusted_root_from_json(garbage, sizeof garbage, &root, &err);
    CHECK(rc == SIGVERIFY_ERR_PARSE || rc == SIGVERIFY_ERR_TRUSTED_ROOT);
    CHECK(root == NULL);
    sigverify_error_free(err);
    err = NULL;
    static const char empty_obj[] = "{}";
    rc = sigverify_trusted_root_from_json((const uint8_t *)empty_obj, 2, &root, &err);
    CHECK(rc == SIGVERIFY_ERR_PARSE || rc == SIGVERIFY_ERR_TRUSTED_ROOT);
    sigverify_error_free(err);
    err = NULL;
    /* NULL with length 0 is the empty buffer (a parse failure), NULL with a length is misuse. */
    rc = sigverify_trusted_root_from_json(NULL, 0, &root, &err);
    CHECK(rc == SIGVERIFY_ERR_PARSE || rc == SIGVERIFY_ERR_TRUSTED_ROOT);
    sigverify_error_free(err);
    err = NULL;
    CHECK_FAILS(sigverify_trusted_root_from_json(NULL, 10, &root, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, root);
    CHECK_FAILS(sigverify_trusted_root_from_json(key_root_json.data, key_root_json.len, NULL, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, root);
    CHECK_FAILS(sigverify_trusted_root_production(NULL, &err), SIGVERIFY_ERR_NULL_ARGUMENT, err,
                root);
    CHECK_FAILS(sigverify_trusted_root_staging(NULL, &err), SIGVERIFY_ERR_NULL_ARGUMENT, err, root);
    CHECK_RC(sigverify_trusted_root_production(NULL, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    sigverify_trusted_root_free(NULL);
}

static void test_verifiers_and_options(void) {
    sigverify_error *err = NULL;
    sigverify_trusted_root *root = NULL;
    sigverify_verifier *v = NULL;
    sigverify_options o;

    CHECK_RC(sigverify_trusted_root_production(&root, &err), SIGVERIFY_OK);
    CHECK_RC(sigverify_options_init(NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    memset(&o, 0xAB, sizeof o);
    CHECK_RC(sigverify_options_init(&o), SIGVERIFY_OK);
    CHECK(o.tlog_threshold == 1 && o.sct_threshold == 1 && o.verified_time_threshold == 1);
    CHECK(o.allow_v0_1 == 1 && o.use_fixed_now == 0 && o.future_tolerance_seconds == 0);

    CHECK_FAILS(sigverify_verifier_new(NULL, &v, &err), SIGVERIFY_ERR_NULL_ARGUMENT, err, v);
    CHECK_FAILS(sigverify_verifier_new(root, NULL, &err), SIGVERIFY_ERR_NULL_ARGUMENT, err, v);
    CHECK_FAILS(sigverify_verifier_new_with_options(root, NULL, &v, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, v);
    CHECK_FAILS(sigverify_verifier_new_with_options(NULL, &o, &v, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, v);

    /* Options that would silently skip a check are refused. */
    sigverify_options bad = o;
    bad.tlog_threshold = 0;
    CHECK_FAILS(sigverify_verifier_new_with_options(root, &bad, &v, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, v);
    bad = o;
    bad.sct_threshold = 0;
    CHECK_FAILS(sigverify_verifier_new_with_options(root, &bad, &v, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, v);
    bad = o;
    bad.verified_time_threshold = 0;
    CHECK_FAILS(sigverify_verifier_new_with_options(root, &bad, &v, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, v);
    bad = o;
    bad.future_tolerance_seconds = -1;
    CHECK_FAILS(sigverify_verifier_new_with_options(root, &bad, &v, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, v);

    /* Options are honoured: a clock before the entry was logged fails the time rule... */
    sigverify_verified *res = NULL;
    o.use_fixed_now = 1;
    o.now_unix_seconds = 1000000000; /* 2001 */
    CHECK_RC(sigverify_verifier_new_with_options(root, &o, &v, &err), SIGVERIFY_OK);
    CHECK_RC(sigverify_verify(v, bundle_v03.data, bundle_v03.len, artifact.data, artifact.len,
                              id_policy, &res, &err),
             SIGVERIFY_ERR_TIME_WINDOW);
    CHECK(res == NULL);
    sigverify_error_free(err);
    err = NULL;
    sigverify_verifier_free(v);
    v = NULL;
    /* ...and v0.1 bundles can be refused. */
    CHECK_RC(sigverify_options_init(&o), SIGVERIFY_OK);
    o.allow_v0_1 = 0;
    CHECK_RC(sigverify_verifier_new_with_options(root, &o, &v, &err), SIGVERIFY_OK);
    CHECK_RC(sigverify_verify(v, bundle_v01.data, bundle_v01.len, artifact.data, artifact.len,
                              id_policy, &res, &err),
             SIGVERIFY_ERR_UNSUPPORTED_VERSION);
    sigverify_error_free(err);
    err = NULL;
    CHECK_RC(sigverify_verify(prod, bundle_v01.data, bundle_v01.len, artifact.data, artifact.len,
                              id_policy, &res, &err),
             SIGVERIFY_OK);
    sigverify_verified_free(res);
    res = NULL;
    sigverify_verifier_free(v);
    /* Flags are bytes: any nonzero value means true. */
    o.allow_v0_1 = 0x80;
    CHECK_RC(sigverify_verifier_new_with_options(root, &o, &v, &err), SIGVERIFY_OK);
    CHECK_RC(sigverify_verify(v, bundle_v01.data, bundle_v01.len, artifact.data, artifact.len,
                              id_policy, &res, &err),
             SIGVERIFY_OK);
    sigverify_verified_free(res);
    sigverify_verifier_free(v);
    v = NULL;
    sigverify_verifier_free(v);
    sigverify_trusted_root_free(root);
}

static void test_policies(void) {
    sigverify_error *err = NULL;
    sigverify_policy *p = NULL;
    sigverify_verified *res = NULL;

    CHECK_FAILS(sigverify_policy_new_identity(NULL, ISSUER, 0, &p, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, p);
    CHECK_FAILS(sigverify_policy_new_identity(IDENTITY, NULL, 0, &p, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, p);
    CHECK_FAILS(sigverify_policy_new_identity(IDENTITY, ISSUER, 0, NULL, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, p);
    CHECK_FAILS(sigverify_policy_new_identity("\xff\xfe", ISSUER, 0, &p, &err),
                SIGVERIFY_ERR_INVALID_UTF8, err, p);
    CHECK_FAILS(sigverify_policy_new_identity(IDENTITY, ISSUER, 4, &p, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, p);
    CHECK_FAILS(sigverify_policy_new_identity("(", ISSUER, SIGVERIFY_MATCH_SAN_REGEX, &p, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, p);
    CHECK_FAILS(sigverify_policy_new_identity(IDENTITY, "[", SIGVERIFY_MATCH_ISSUER_REGEX, &p,
                                              &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, p);
    /* An empty SAN or issuer (an unset configuration value) is refused, exact or regex. */
    CHECK_FAILS(sigverify_policy_new_identity("", ISSUER, 0, &p, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, p);
    CHECK_FAILS(sigverify_policy_new_identity(IDENTITY, "", 0, &p, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, p);
    CHECK_FAILS(sigverify_policy_new_identity("", ISSUER, SIGVERIFY_MATCH_SAN_REGEX, &p, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, p);

    /* Regular expressions are anchored: a prefix alone does not match... */
    CHECK_RC(sigverify_policy_new_identity("https://github\\.com/sigstore-conformance/", ISSUER,
                                           SIGVERIFY_MATCH_SAN_REGEX, &p, &err),
             SIGVERIFY_OK);
    CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data, artifact.len,
                              p, &res, NULL),
             SIGVERIFY_ERR_IDENTITY);
    sigverify_policy_free(p);
    p = NULL;
    /* ...the whole value does. */
    CHECK_RC(sigverify_policy_new_identity("https://github\\.com/sigstore-conformance/.*",
                                           "https://token\\.actions\\.githubusercontent\\.com",
                                           SIGVERIFY_MATCH_SAN_REGEX | SIGVERIFY_MATCH_ISSUER_REGEX,
                                           &p, &err),
             SIGVERIFY_OK);
    CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data, artifact.len,
                              p, &res, &err),
             SIGVERIFY_OK);
    sigverify_verified_free(res);
    res = NULL;
    sigverify_policy_free(p);
    p = NULL;
    sigverify_policy_free(p);

    /* Any of several identities; the result names the one that matched. */
    sigverify_identity ids[3] = {
        {"someone@example.com", ISSUER, 0},
        {IDENTITY, ISSUER, 0},
        {".*", ".*", SIGVERIFY_MATCH_SAN_REGEX | SIGVERIFY_MATCH_ISSUER_REGEX},
    };
    CHECK_RC(sigverify_policy_new_identities(ids, 3, &p, &err), SIGVERIFY_OK);
    CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data, artifact.len,
                              p, &res, &err),
             SIGVERIFY_OK);
    size_t matched = 99;
    CHECK_RC(sigverify_verified_matched_identity(res, &matched), SIGVERIFY_OK);
    CHECK(matched == 1);
    sigverify_verified_free(res);
    res = NULL;
    sigverify_policy_free(p);
    p = NULL;

    /* Fulcio claims: a copy of the policy also requires them; the base is unchanged. */
    {
        static const char *REPO =
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon";
        sigverify_policy *base = NULL, *with_repo = NULL, *with_ref = NULL, *fork = NULL;
        CHECK_RC(sigverify_policy_new_identity(IDENTITY, ISSUER, 0, &base, &err), SIGVERIFY_OK);
        CHECK_RC(sigverify_policy_require_extension(base, 0, "SourceRepositoryURI", REPO, 0,
                                                    &with_repo, &err),
                 SIGVERIFY_OK);
        CHECK_RC(sigverify_policy_require_extension(with_repo, 0, "1.3.6.1.4.1.57264.1.14",
                                                    "refs/heads/.*", SIGVERIFY_MATCH_VALUE_REGEX,
                                                    &with_ref, &err),
                 SIGVERIFY_OK);
        CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                  artifact.len, with_ref, &res, &err),
                 SIGVERIFY_OK);
        sigverify_verified_free(res);
        res = NULL;
        CHECK_RC(sigverify_policy_require_extension(base, 0, "Source Repository URI",
                                                    "https://github.com/evil/fork", 0, &fork,
                                                    &err),
                 SIGVERIFY_OK);
        CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                  artifact.len, fork, &res, &err),
                 SIGVERIFY_ERR_IDENTITY);
        CHECK(res == NULL && err != NULL &&
              strstr(sigverify_error_message(err), "1.3.6.1.4.1.57264.1.12") != NULL);
        sigverify_error_free(err);
        err = NULL;
        /* The base policy still verifies without the claim. */
        CHECK_RC(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                  artifact.len, base, &res, &err),
                 SIGVERIFY_OK);
        sigverify_verified_free(res);
        res = NULL;
        p = NULL;
        CHECK_FAILS(sigverify_policy_require_extension(base, 0, "NoSuchClaim", "x", 0, &p, &err),
                    SIGVERIFY_ERR_POLICY_MISUSE, err, p);
        CHECK_FAILS(sigverify_policy_require_extension(base, 0, "SourceRepositoryRef", "(",
                                                       SIGVERIFY_MATCH_VALUE_REGEX, &p, &err),
                    SIGVERIFY_ERR_POLICY_MISUSE, err, p);
        CHECK_FAILS(sigverify_policy_require_extension(base, 1, "SourceRepositoryRef", "x", 0, &p,
                                                       &err),
                    SIGVERIFY_ERR_INVALID_ARGUMENT, err, p);
        CHECK_FAILS(sigverify_policy_require_extension(base, 0, "SourceRepositoryRef", "x",
                                                       SIGVERIFY_MATCH_SAN_REGEX, &p, &err),
                    SIGVERIFY_ERR_INVALID_ARGUMENT, err, p);
        CHECK_FAILS(sigverify_policy_require_extension(NULL, 0, "SourceRepositoryRef", "x", 0, &p,
                                                       &err),
                    SIGVERIFY_ERR_NULL_ARGUMENT, err, p);
        CHECK_FAILS(sigverify_policy_require_extension(base, 0, NULL, "x", 0, &p, &err),
                    SIGVERIFY_ERR_NULL_ARGUMENT, err, p);
        CHECK_FAILS(sigverify_policy_require_extension(base, 0, "SourceRepositoryRef", NULL, 0, &p,
                                                       &err),
                    SIGVERIFY_ERR_NULL_ARGUMENT, err, p);
        CHECK_FAILS(sigverify_policy_require_extension(base, 0, "SourceRepositoryRef", "x", 0, NULL,
                                                       &err),
                    SIGVERIFY_ERR_NULL_ARGUMENT, err, p);
        sigverify_policy *key_policy = NULL;
        CHECK_RC(sigverify_policy_new_public_key(key_pem.data, key_pem.len, &key_policy, &err),
                 SIGVERIFY_OK);
        CHECK_FAILS(sigverify_policy_require_extension(key_policy, 0, "SourceRepositoryRef", "x",
                                                       0, &p, &err),
                    SIGVERIFY_ERR_POLICY_MISUSE, err, p);
        sigverify_policy_free(key_policy);
        sigverify_policy_free(fork);
        sigverify_policy_free(with_ref);
        sigverify_policy_free(with_repo);
        sigverify_policy_free(base);
    }

    /* An empty list never means "anyone". */
    CHECK_FAILS(sigverify_policy_new_identities(ids, 0, &p, &err), SIGVERIFY_ERR_POLICY_MISUSE,
                err, p);
    CHECK_FAILS(sigverify_policy_new_identities(NULL, 0, &p, &err), SIGVERIFY_ERR_POLICY_MISUSE,
                err, p);
    CHECK_FAILS(sigverify_policy_new_identities(NULL, 2, &p, &err), SIGVERIFY_ERR_NULL_ARGUMENT,
                err, p);
    CHECK_FAILS(sigverify_policy_new_identities(ids, 3, NULL, &err), SIGVERIFY_ERR_NULL_ARGUMENT,
                err, p);
    /* A bad element is reported with its index. */
    ids[2].issuer = NULL;
    CHECK_RC(sigverify_policy_new_identities(ids, 3, &p, &err), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK(p == NULL && strstr(sigverify_error_message(err), "identity 2") != NULL);
    sigverify_error_free(err);
    err = NULL;
    ids[2].issuer = ISSUER;
    ids[1].flags = 0x80;
    CHECK_FAILS(sigverify_policy_new_identities(ids, 3, &p, &err), SIGVERIFY_ERR_INVALID_ARGUMENT,
                err, p);

    /* Public keys: PEM works; garbage, truncation and emptiness are policy misuse. */
    CHECK_RC(sigverify_policy_new_public_key(key_pem.data, key_pem.len, &p, &err), SIGVERIFY_OK);
    sigverify_policy_free(p);
    p = NULL;
    CHECK_FAILS(sigverify_policy_new_public_key(key_pem.data, key_pem.len / 2, &p, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, p);
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    CHECK_FAILS(sigverify_policy_new_public_key(junk, sizeof junk, &p, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, p);
    CHECK_FAILS(sigverify_policy_new_public_key(NULL, 0, &p, &err), SIGVERIFY_ERR_POLICY_MISUSE,
                err, p);
    CHECK_FAILS(sigverify_policy_new_public_key(NULL, 5, &p, &err), SIGVERIFY_ERR_NULL_ARGUMENT,
                err, p);
    /* Over 64 KiB: a limit error, before any parsing. */
    static uint8_t big_key[64 * 1024 + 1];
    memset(big_key, 'A', sizeof big_key);
    p = NULL;
    CHECK_RC(sigverify_policy_new_public_key(big_key, sizeof big_key, &p, &err),
             SIGVERIFY_ERR_LIMIT);
    CHECK(p == NULL);
    CHECK(err != NULL && sigverify_error_code(err) == SIGVERIFY_ERR_LIMIT);
    CHECK(err != NULL && strstr(sigverify_error_message(err), "65537 bytes") != NULL);
    sigverify_error_free(err);
    err = NULL;
    CHECK_FAILS(sigverify_policy_new_public_key(key_pem.data, key_pem.len, NULL, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, p);

    /* A key trusted for a window only: the bundle's one verified time,
       2026-01-07T18:36:05Z (1767810965), must lie inside; the base is unchanged. */
    {
        static const int64_t AT = 1767810965;
        sigverify_policy *base = NULL, *w = NULL;
        CHECK_RC(sigverify_policy_new_public_key(key_pem.data, key_pem.len, &base, &err),
                 SIGVERIFY_OK);
        const int64_t inside[][2] = {{AT, AT}, {0, SIGVERIFY_NO_END}, {AT, SIGVERIFY_NO_END}};
        for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
            CHECK_RC(sigverify_policy_key_valid_for(base, inside[i][0], inside[i][1], &w, &err),
                     SIGVERIFY_OK);
            CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                      artifact.len, w, &res, &err),
                     SIGVERIFY_OK);
            sigverify_verified_free(res);
            res = NULL;
            sigverify_policy_free(w);
            w = NULL;
        }
        const int64_t outside[][2] = {{AT + 1, SIGVERIFY_NO_END}, {0, AT - 1}};
        for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
            CHECK_RC(sigverify_policy_key_valid_for(base, outside[i][0], outside[i][1], &w, &err),
                     SIGVERIFY_OK);
            CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                      artifact.len, w, &res, &err),
                     SIGVERIFY_ERR_TIME_WINDOW);
            CHECK(res == NULL && err != NULL &&
                  strstr(sigverify_error_message(err), "outside the managed key's validity") !=
                      NULL);
            sigverify_error_free(err);
            err = NULL;
            sigverify_policy_free(w);
            w = NULL;
        }
        CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                  artifact.len, base, &res, &err),
                 SIGVERIFY_OK);
        sigverify_verified_free(res);
        res = NULL;
        /* A second window narrows the first, never widens it. */
        sigverify_policy *retired = NULL;
        CHECK_RC(sigverify_policy_key_valid_for(base, 0, AT - 1, &retired, &err), SIGVERIFY_OK);
        CHECK_RC(sigverify_policy_key_valid_for(retired, 0, SIGVERIFY_NO_END, &w, &err),
                 SIGVERIFY_OK);
        CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                  artifact.len, w, &res, &err),
                 SIGVERIFY_ERR_TIME_WINDOW);
        sigverify_error_free(err);
        err = NULL;
        sigverify_policy_free(w);
        w = NULL;
        sigverify_policy_free(retired);
        CHECK_FAILS(sigverify_policy_key_valid_for(base, AT, AT - 1, &w, &err),
                    SIGVERIFY_ERR_POLICY_MISUSE, err, w);
        sigverify_policy *identity = NULL;
        CHECK_RC(sigverify_policy_new_identity(IDENTITY, ISSUER, 0, &identity, &err),
                 SIGVERIFY_OK);
        CHECK_FAILS(sigverify_policy_key_valid_for(identity, 0, SIGVERIFY_NO_END, &w, &err),
                    SIGVERIFY_ERR_POLICY_MISUSE, err, w);
        CHECK_FAILS(sigverify_policy_key_valid_for(NULL, 0, SIGVERIFY_NO_END, &w, &err),
                    SIGVERIFY_ERR_NULL_ARGUMENT, err, w);
        CHECK_FAILS(sigverify_policy_key_valid_for(base, 0, SIGVERIFY_NO_END, NULL, &err),
                    SIGVERIFY_ERR_NULL_ARGUMENT, err, w);
        sigverify_policy_free(identity);
        sigverify_policy_free(base);
    }

    /* A keyring: any one of several key policies (each keeps its window). The
       bundle's hint is its key's fingerprint, so only that key is tried. */
    {
        static const char STRANGER[] =
            "-----BEGIN PUBLIC KEY-----\n"
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEwUP+BpjJaPBhu0ccTdWz5YRpfTE6\n"
            "gv9dqXzWM9gcga6h2VKEEP+QlL7HIfyRlk6qw4TSPaAwnq9s9Cpfpd3fbg==\n"
            "-----END PUBLIC KEY-----\n";
        static const int64_t AT = 1767810965;
        sigverify_policy *real = NULL, *stranger = NULL, *retired = NULL, *ring = NULL;
        CHECK_RC(sigverify_policy_new_public_key(key_pem.data, key_pem.len, &real, &err),
                 SIGVERIFY_OK);
        CHECK_RC(sigverify_policy_new_public_key((const uint8_t *)STRANGER, strlen(STRANGER),
                                                 &stranger, &err),
                 SIGVERIFY_OK);
        CHECK_RC(sigverify_policy_key_valid_for(real, 0, AT - 1, &retired, &err), SIGVERIFY_OK);
        const sigverify_policy *both[] = {stranger, real};
        CHECK_RC(sigverify_policy_new_any_key(both, 2, &ring, &err), SIGVERIFY_OK);
        CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                  artifact.len, ring, &res, &err),
                 SIGVERIFY_OK);
        sigverify_verified_free(res);
        res = NULL;
        sigverify_policy_free(ring);
        ring = NULL;
        const sigverify_policy *strangers[] = {stranger, stranger};
        CHECK_RC(sigverify_policy_new_any_key(strangers, 2, &ring, &err), SIGVERIFY_OK);
        CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                  artifact.len, ring, &res, &err),
                 SIGVERIFY_ERR_SIGNATURE);
        CHECK(res == NULL && err != NULL &&
              strstr(sigverify_error_message(err), "names none of the keys") != NULL);
        sigverify_error_free(err);
        err = NULL;
        sigverify_policy_free(ring);
        ring = NULL;
        const sigverify_policy *old_real[] = {stranger, retired};
        CHECK_RC(sigverify_policy_new_any_key(old_real, 2, &ring, &err), SIGVERIFY_OK);
        CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                  artifact.len, ring, &res, &err),
                 SIGVERIFY_ERR_TIME_WINDOW);
        sigverify_error_free(err);
        err = NULL;
        sigverify_policy_free(ring);
        ring = NULL;
        /* Misuse: no keys, an identity, NULL elements or arrays. */
        sigverify_policy *identity = NULL, *p2 = NULL;
        CHECK_RC(sigverify_policy_new_identity(IDENTITY, ISSUER, 0, &identity, &err),
                 SIGVERIFY_OK);
        const sigverify_policy *mixed[] = {real, identity};
        const sigverify_policy *holes[] = {real, NULL};
        CHECK_FAILS(sigverify_policy_new_any_key(both, 0, &p2, &err), SIGVERIFY_ERR_POLICY_MISUSE,
                    err, p2);
        CHECK_FAILS(sigverify_policy_new_any_key(NULL, 0, &p2, &err), SIGVERIFY_ERR_POLICY_MISUSE,
                    err, p2);
        CHECK_FAILS(sigverify_policy_new_any_key(mixed, 2, &p2, &err),
                    SIGVERIFY_ERR_POLICY_MISUSE, err, p2);
        CHECK_FAILS(sigverify_policy_new_any_key(holes, 2, &p2, &err), SIGVERIFY_ERR_NULL_ARGUMENT,
                    err, p2);
        CHECK_FAILS(sigverify_policy_new_any_key(NULL, 2, &p2, &err), SIGVERIFY_ERR_NULL_ARGUMENT,
                    err, p2);
        CHECK_FAILS(sigverify_policy_new_any_key(both, 2, NULL, &err), SIGVERIFY_ERR_NULL_ARGUMENT,
                    err, p2);
        sigverify_policy_free(identity);
        sigverify_policy_free(retired);
        sigverify_policy_free(stranger);
        sigverify_policy_free(real);
    }

    /* Mode mismatches are policy misuse, in both directions. */
    CHECK_FAILS(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data,
                                 artifact.len, id_policy, &res, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, res);
    CHECK_FAILS(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                 artifact.len, key_policy, &res, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, res);
    sigverify_policy_free(NULL);
}

static void test_verify_bytes(void) {
    sigverify_error *err = NULL;
    sigverify_verified *res = NULL;

    res = verify_v03();
    CHECK(res != NULL);
    sigverify_verified_free(res);
    res = NULL;

    /* NULL arguments. */
    CHECK_FAILS(sigverify_verify(NULL, bundle_v03.data, bundle_v03.len, artifact.data,
                                 artifact.len, id_policy, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                 artifact.len, NULL, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                 artifact.len, id_policy, NULL, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify(prod, NULL, 5, artifact.data, artifact.len, id_policy, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify(prod, bundle_v03.data, bundle_v03.len, NULL, 5, id_policy, &res,
                                 &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify(prod, NULL, 0, artifact.data, artifact.len, id_policy, &res, &err),
                SIGVERIFY_ERR_PARSE, err, res);

    /* A different artifact (here: empty, given as NULL/0) is not what was signed. */
    int32_t rc = sigverify_verify(prod, bundle_v03.data, bundle_v03.len, NULL, 0, id_policy, &res,
                                  &err);
    CHECK(rc == SIGVERIFY_ERR_SIGNATURE || rc == SIGVERIFY_ERR_ARTIFACT_MISMATCH ||
          rc == SIGVERIFY_ERR_TLOG_BODY_MISMATCH);
    CHECK(res == NULL && sigverify_error_code(err) == rc);
    sigverify_error_free(err);
    err = NULL;

    /* Truncated bundles: every cut fails cleanly with an error object. */
    for (size_t cut = 0; cut < bundle_v03.len; cut += 101) {
        rc = sigverify_verify(prod, bundle_v03.data, cut, artifact.data, artifact.len, id_policy,
                              &res, &err);
        CHECK(rc == SIGVERIFY_ERR_PARSE);
        CHECK(res == NULL && err != NULL && sigverify_error_code(err) == rc);
        sigverify_error_free(err);
        err = NULL;
    }
    /* Garbage: pseudo-random bytes, and the bundle with bytes overwritten. */
    uint8_t *junk = malloc(bundle_v03.len);
    uint32_t x = 2463534242u;
    for (int round = 0; round < 40; round++) {
        if (round < 8) {
            for (size_t i = 0; i < bundle_v03.len; i++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                junk[i] = (uint8_t)x;
            }
        } else {
            memcpy(junk, bundle_v03.data, bundle_v03.len);
            for (int k = 0; k < 3; k++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                junk[x % bundle_v03.len] ^= (uint8_t)(1u << (x >> 29));
            }
        }
        rc = sigverify_verify(prod, junk, bundle_v03.len, artifact.data, artifact.len, id_policy,
                              &res, &err);
        if (rc == SIGVERIFY_OK) {
            /* A flip in insignificant bytes (e.g. a JSON key's case) can still verify. */
            CHECK(res != NULL && err == NULL);
            sigverify_verified_free(res);
            res = NULL;
        } else {
            CHECK(rc >= SIGVERIFY_ERR_PARSE && rc <= SIGVERIFY_ERR_TLOG);
            CHECK(res == NULL && sigverify_error_code(err) == rc);
            sigverify_error_free(err);
            err = NULL;
        }
    }
    free(junk);
}

static int hexval(char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void test_verify_digest(void) {
    sigverify_error *err = NULL;
    sigverify_verified *res = NULL;
    uint8_t digest[32];
    for (int i = 0; i < 32; i++)
        digest[i] = (uint8_t)(hexval(ARTIFACT_SHA256[2 * i]) << 4 | hexval(ARTIFACT_SHA256[2 * i + 1]));

    CHECK_RC(sigverify_verify_digest(prod, bundle_v03.data, bundle_v03.len, SIGVERIFY_HASH_SHA256,
                                     digest, 32, id_policy, &res, &err),
             SIGVERIFY_OK);
    sigverify_verified_free(res);
    res = NULL;
    /* DSSE: the digest must be an in-toto subject. */
    CHECK_RC(sigverify_verify_digest(prod, bundle_dsse.data, bundle_dsse.len,
                                     SIGVERIFY_HASH_SHA256, digest, 32, id_policy, &res, &err),
             SIGVERIFY_OK);
    sigverify_verified_free(res);
    res = NULL;

    CHECK_FAILS(sigverify_verify_digest(prod, bundle_v03.data, bundle_v03.len, 0, digest, 32,
                                        id_policy, &res, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify_digest(prod, bundle_v03.data, bundle_v03.len, 4, digest, 32,
                                        id_policy, &res, &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify_digest(prod, bundle_v03.data, bundle_v03.len,
                                        SIGVERIFY_HASH_SHA256, digest, 31, id_policy, &res, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, res);
    CHECK_FAILS(sigverify_verify_digest(prod, bundle_v03.data, bundle_v03.len,
                                        SIGVERIFY_HASH_SHA512, digest, 32, id_policy, &res, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, res);
    CHECK_FAILS(sigverify_verify_digest(prod, bundle_v03.data, bundle_v03.len,
                                        SIGVERIFY_HASH_SHA256, NULL, 32, id_policy, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    digest[0] ^= 1;
    int32_t rc = sigverify_verify_digest(prod, bundle_v03.data, bundle_v03.len,
                                         SIGVERIFY_HASH_SHA256, digest, 32, id_policy, &res, &err);
    CHECK(rc == SIGVERIFY_ERR_SIGNATURE || rc == SIGVERIFY_ERR_ARTIFACT_MISMATCH ||
          rc == SIGVERIFY_ERR_TLOG_BODY_MISMATCH);
    CHECK(res == NULL);
    sigverify_error_free(err);
    err = NULL;

    /* The text form. */
    CHECK_RC(sigverify_verify_digest_str(prod, bundle_v03.data, bundle_v03.len,
                                         "sha256:" ARTIFACT_SHA256, id_policy, &res, &err),
             SIGVERIFY_OK);
    sigverify_verified_free(res);
    res = NULL;
    const char *bad[] = {"sha256:", "sha256:abc", "md5:" ARTIFACT_SHA256, ARTIFACT_SHA256,
                         "sha256:" ARTIFACT_SHA256 "00", "sha256:zz"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_FAILS(sigverify_verify_digest_str(prod, bundle_v03.data, bundle_v03.len, bad[i],
                                                id_policy, &res, &err),
                    SIGVERIFY_ERR_POLICY_MISUSE, err, res);
    CHECK_FAILS(sigverify_verify_digest_str(prod, bundle_v03.data, bundle_v03.len, NULL,
                                            id_policy, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify_digest_str(prod, bundle_v03.data, bundle_v03.len, "sha256:\xc3",
                                            id_policy, &res, &err),
                SIGVERIFY_ERR_INVALID_UTF8, err, res);
}

/* A DSSE bundle without its artifact: verified but not bound; a message signature is refused. */
static void test_verify_dsse(void) {
    sigverify_error *err = NULL;
    sigverify_verified *res = NULL;
    const char *json = NULL, *type = NULL;
    const uint8_t *payload = NULL;
    size_t n = 0;

    CHECK_RC(sigverify_verify_dsse(prod, bundle_dsse.data, bundle_dsse.len, id_policy, &res, &err),
             SIGVERIFY_OK);
    CHECK_RC(sigverify_verified_dsse_payload(res, &type, &payload, &n), SIGVERIFY_OK);
    CHECK(type != NULL && strcmp(type, "application/vnd.in-toto+json") == 0);
    CHECK(payload != NULL && n > 2 && payload[0] == '{');
    CHECK_RC(sigverify_verified_json(res, &json), SIGVERIFY_OK);
    CHECK(json != NULL && strstr(json, "\"artifactBound\":false") != NULL);
    sigverify_verified_free(res);
    res = NULL;

    CHECK_FAILS(sigverify_verify_dsse(prod, bundle_v03.data, bundle_v03.len, id_policy, &res, &err),
                SIGVERIFY_ERR_POLICY_MISUSE, err, res);
    sigverify_policy *wrong_issuer = NULL;
    CHECK_RC(sigverify_policy_new_identity(IDENTITY, "https://accounts.google.com", 0, &wrong_issuer,
                                           &err),
             SIGVERIFY_OK);
    CHECK_FAILS(sigverify_verify_dsse(prod, bundle_dsse.data, bundle_dsse.len, wrong_issuer, &res,
                                      &err),
                SIGVERIFY_ERR_IDENTITY, err, res);
    sigverify_policy_free(wrong_issuer);
    CHECK_FAILS(sigverify_verify_dsse(NULL, bundle_dsse.data, bundle_dsse.len, id_policy, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify_dsse(prod, bundle_dsse.data, bundle_dsse.len, NULL, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify_dsse(prod, NULL, 5, id_policy, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    CHECK_FAILS(sigverify_verify_dsse(prod, bundle_dsse.data, bundle_dsse.len / 2, id_policy, &res,
                                      &err),
                SIGVERIFY_ERR_PARSE, err, res);
    CHECK_RC(sigverify_verify_dsse(prod, bundle_dsse.data, bundle_dsse.len, id_policy, NULL, &err),
             SIGVERIFY_ERR_NULL_ARGUMENT);
    sigverify_error_free(err);
    err = NULL;
}

static void test_verify_fd(void) {
    sigverify_error *err = NULL;
    sigverify_verified *res = NULL;
    int fd = open(path_of("conformance/a.txt"), O_RDONLY);
    CHECK(fd >= 0);
    CHECK_RC(sigverify_verify_fd(prod, bundle_v03.data, bundle_v03.len, fd, id_policy, &res, &err),
             SIGVERIFY_OK);
    CHECK(res != NULL);
    sigverify_verified_free(res);
    res = NULL;
    /* The descriptor stays open, at the end: a second read sees an empty artifact. */
    CHECK(lseek(fd, 0, SEEK_CUR) == (off_t)artifact.len);
    int32_t rc = sigverify_verify_fd(prod, bundle_v03.data, bundle_v03.len, fd, id_policy, &res,
                                     &err);
    CHECK(rc != SIGVERIFY_OK && res == NULL);
    sigverify_error_free(err);
    err = NULL;
    CHECK(close(fd) == 0);

    /* A bad bundle is reported before the artifact is read. */
    fd = open(path_of("conformance/a.txt"), O_RDONLY);
    CHECK_FAILS(sigverify_verify_fd(prod, bundle_v03.data, 10, fd, id_policy, &res, &err),
                SIGVERIFY_ERR_PARSE, err, res);
    CHECK(lseek(fd, 0, SEEK_CUR) == 0);
    close(fd);

    CHECK_FAILS(sigverify_verify_fd(prod, bundle_v03.data, bundle_v03.len, -1, id_policy, &res,
                                    &err),
                SIGVERIFY_ERR_INVALID_ARGUMENT, err, res);
    /* Reading a directory fails with EISDIR: an I/O error, not a crash. */
    fd = open(vectors, O_RDONLY);
    CHECK(fd >= 0);
    CHECK_FAILS(sigverify_verify_fd(prod, bundle_v03.data, bundle_v03.len, fd, id_policy, &res,
                                    &err),
                SIGVERIFY_ERR_IO, err, res);
    close(fd);
    /* A write-only descriptor cannot be read either. */
    fd = open("/dev/null", O_WRONLY);
    CHECK_FAILS(sigverify_verify_fd(prod, bundle_v03.data, bundle_v03.len, fd, id_policy, &res,
                                    &err),
                SIGVERIFY_ERR_IO, err, res);
    close(fd);
    CHECK_FAILS(sigverify_verify_fd(prod, bundle_v03.data, bundle_v03.len, 0, NULL, &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
}

typedef struct {
    const uint8_t *data;
    size_t len, pos, chunk, calls;
    int64_t fail_with;   /* nonzero: return this on the second call */
    int overflow;        /* nonzero: claim more bytes than asked */
} reader;

static int64_t read_cb(void *ctx, uint8_t *out, size_t out_len) {
    reader *r = ctx;
    r->calls++;
    if (r->fail_with != 0 && r->calls == 2) return r->fail_with;
    if (r->overflow) return (int64_t)out_len + 1;
    size_t n = r->len - r->pos;
    if (n > r->chunk) n = r->chunk;
    if (n > out_len) n = out_len;
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
    return (int64_t)n;
}

static void test_verify_read(void) {
    sigverify_error *err = NULL;
    sigverify_verified *res = NULL;
    /* Streamed in 7-byte pieces, the artifact still verifies. */
    reader r = {artifact.data, artifact.len, 0, 7, 0, 0, 0};
    CHECK_RC(sigverify_verify_read(prod, bundle_v03.data, bundle_v03.len, read_cb, &r, id_policy,
                                   &res, &err),
             SIGVERIFY_OK);
    CHECK(r.pos == artifact.len && r.calls > artifact.len / 7);
    sigverify_verified_free(res);
    res = NULL;

    /* The callback's error value is reported as an I/O error. */
    reader failing = {artifact.data, artifact.len, 0, 7, 0, -5, 0};
    CHECK_RC(sigverify_verify_read(prod, bundle_v03.data, bundle_v03.len, read_cb, &failing,
                                   id_policy, &res, &err),
             SIGVERIFY_ERR_IO);
    CHECK(res == NULL && strstr(sigverify_error_message(err), "-5") != NULL);
    sigverify_error_free(err);
    err = NULL;
    reader lying = {artifact.data, artifact.len, 0, 7, 0, 0, 1};
    CHECK_FAILS(sigverify_verify_read(prod, bundle_v03.data, bundle_v03.len, read_cb, &lying,
                                      id_policy, &res, &err),
                SIGVERIFY_ERR_IO, err, res);
    CHECK_FAILS(sigverify_verify_read(prod, bundle_v03.data, bundle_v03.len, NULL, &r, id_policy,
                                      &res, &err),
                SIGVERIFY_ERR_NULL_ARGUMENT, err, res);
    /* The bundle is parsed before the callback is first called. */
    reader untouched = {artifact.data, artifact.len, 0, 7, 0, 0, 0};
    CHECK_FAILS(sigverify_verify_read(prod, (const uint8_t *)"{", 1, read_cb, &untouched,
                                      id_policy, &res, &err),
                SIGVERIFY_ERR_PARSE, err, res);
    CHECK(untouched.calls == 0);
}

static void test_verified_getters_keyless(void) {
    sigverify_verified *v = verify_v03();
    CHECK(v != NULL);
    if (v == NULL) return;
    int32_t mode = 0;
    const char *s = NULL;
    size_t n = 0, idx = 99;

    CHECK_RC(sigverify_verified_mode(v, &mode), SIGVERIFY_OK);
    CHECK(mode == SIGVERIFY_MODE_KEYLESS);
    CHECK_RC(sigverify_verified_san(v, &s), SIGVERIFY_OK);
    CHECK(s != NULL && strcmp(s, IDENTITY) == 0);
    CHECK_RC(sigverify_verified_issuer(v, &s), SIGVERIFY_OK);
    CHECK(s != NULL && strcmp(s, ISSUER) == 0);
    CHECK_RC(sigverify_verified_matched_identity(v, &idx), SIGVERIFY_OK);
    CHECK(idx == 0);
    CHECK_RC(sigverify_verified_key_fingerprint(v, &s), SIGVERIFY_OK);
    CHECK(is_hex(s, 64));

    const uint8_t *der = NULL;
    CHECK_RC(sigverify_verified_certificate(v, &der, &n), SIGVERIFY_OK);
    CHECK(der != NULL && n > 500 && der[0] == 0x30);

    /* Fulcio claims, by index and by OID or name. */
    CHECK_RC(sigverify_verified_claim_count(v, &n), SIGVERIFY_OK);
    CHECK(n >= 8);
    int saw_issuer_v2 = 0;
    for (size_t i = 0; i < n; i++) {
        sigverify_claim c = {0};
        CHECK_RC(sigverify_verified_claim(v, i, &c), SIGVERIFY_OK);
        CHECK(c.oid != NULL && strncmp(c.oid, "1.3.6.1.4.1.57264.1.", 20) == 0);
        CHECK(c.name != NULL && c.value != NULL);
        if (strcmp(c.oid, "1.3.6.1.4.1.57264.1.8") == 0)
            saw_issuer_v2 = strcmp(c.value, ISSUER) == 0;
    }
    CHECK(saw_issuer_v2);
    sigverify_claim untouched = {(const char *)1, (const char *)1, (const char *)1};
    CHECK_RC(sigverify_verified_claim(v, n, &untouched), SIGVERIFY_ERR_NOT_FOUND);
    CHECK(untouched.oid == (const char *)1);
    CHECK_RC(sigverify_verified_claim(v, SIZE_MAX, &untouched), SIGVERIFY_ERR_NOT_FOUND);
    CHECK_RC(sigverify_verified_claim_value(v, "1.3.6.1.4.1.57264.1.8", &s), SIGVERIFY_OK);
    CHECK(strcmp(s, ISSUER) == 0);
    CHECK_RC(sigverify_verified_claim_value(v, "Issuer (V2)", &s), SIGVERIFY_OK);
    CHECK(strcmp(s, ISSUER) == 0);
    CHECK_RC(sigverify_verified_claim_value(v, "Source Repository URI", &s), SIGVERIFY_OK);
    CHECK(strcmp(s, "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon") == 0);
    s = (const char *)1;
    CHECK_RC(sigverify_verified_claim_value(v, "1.2.3", &s), SIGVERIFY_ERR_NOT_FOUND);
    CHECK(s == (const char *)1);
    CHECK_RC(sigverify_verified_claim_value(v, NULL, &s), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_claim_value(v, "\xff", &s), SIGVERIFY_ERR_INVALID_UTF8);

    /* Verified times: the Rekor v1 entry's integrated time. */
    CHECK_RC(sigverify_verified_time_count(v, &n), SIGVERIFY_OK);
    CHECK(n >= 1);
    sigverify_time t = {0};
    CHECK_RC(sigverify_verified_time(v, 0, &t), SIGVERIFY_OK);
    CHECK(t.unix_seconds > 1600000000 && t.nanoseconds < 1000000000u);
    CHECK(t.source == SIGVERIFY_TIME_SOURCE_TLOG && t.source_url != NULL);
    CHECK(strncmp(t.source_url, "https://", 8) == 0);
    CHECK_RC(sigverify_verified_time(v, n, &t), SIGVERIFY_ERR_NOT_FOUND);

    /* Log entries. */
    CHECK_RC(sigverify_verified_tlog_entry_count(v, &n), SIGVERIFY_OK);
    CHECK(n == 1);
    sigverify_tlog_entry e;
    memset(&e, 0, sizeof e);
    CHECK_RC(sigverify_verified_tlog_entry(v, 0, &e), SIGVERIFY_OK);
    CHECK(is_hex(e.log_id, 64) && e.log_index > 0);
    CHECK(strcmp(e.kind, "hashedrekord") == 0 && strcmp(e.version, "0.0.1") == 0);
    CHECK(strncmp(e.log_url, "https://", 8) == 0);
    CHECK(e.has_integrated_time && e.integrated_time == t.unix_seconds && !e.rekor_v2);
    CHECK_RC(sigverify_verified_tlog_entry(v, 1, &e), SIGVERIFY_ERR_NOT_FOUND);

    /* A message signature has no DSSE payload; outputs stay untouched. */
    const uint8_t *payload = (const uint8_t *)1;
    s = (const char *)1;
    CHECK_RC(sigverify_verified_dsse_payload(v, &s, &payload, &n), SIGVERIFY_ERR_NOT_FOUND);
    CHECK(s == (const char *)1 && payload == (const uint8_t *)1);

    /* The JSON dump is built once and stable. */
    const char *json = NULL, *again = NULL;
    CHECK_RC(sigverify_verified_json(v, &json), SIGVERIFY_OK);
    CHECK(json != NULL && strstr(json, "\"verified\":true") != NULL);
    CHECK(strstr(json, "\"mode\":\"keyless\"") != NULL);
    CHECK_RC(sigverify_verified_json(v, &again), SIGVERIFY_OK);
    CHECK(json == again);

    /* NULL result or out-pointer: every getter says so. */
    CHECK_RC(sigverify_verified_mode(NULL, &mode), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_mode(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_san(NULL, &s), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_san(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_issuer(NULL, &s), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_issuer(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_matched_identity(NULL, &idx), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_matched_identity(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_key_fingerprint(NULL, &s), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_key_fingerprint(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_certificate(NULL, &der, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_certificate(v, NULL, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_certificate(v, &der, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_claim_count(NULL, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_claim_count(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_claim(NULL, 0, &untouched), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_claim(v, 0, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_claim_value(NULL, "x", &s), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_claim_value(v, "x", NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_time_count(NULL, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_time_count(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_time(NULL, 0, &t), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_time(v, 0, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_tlog_entry_count(NULL, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_tlog_entry_count(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_tlog_entry(NULL, 0, &e), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_tlog_entry(v, 0, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_dsse_payload(NULL, &s, &payload, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_dsse_payload(v, NULL, &payload, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_dsse_payload(v, &s, NULL, &n), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_dsse_payload(v, &s, &payload, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_json(NULL, &json), SIGVERIFY_ERR_NULL_ARGUMENT);
    CHECK_RC(sigverify_verified_json(v, NULL), SIGVERIFY_ERR_NULL_ARGUMENT);

    sigverify_verified_free(v);
    v = NULL;
    sigverify_verified_free(v);
}

static void test_verified_getters_dsse_and_key(void) {
    sigverify_error *err = NULL;
    sigverify_verified *v = NULL;
    const char *type = NULL, *s = NULL;
    const uint8_t *payload = NULL, *der = NULL;
    size_t n = 0, idx = 0;
    int32_t mode = 0;

    CHECK_RC(sigverify_verify(prod, bundle_dsse.data, bundle_dsse.len, artifact.data, artifact.len,
                              id_policy, &v, &err),
             SIGVERIFY_OK);
    CHECK_RC(sigverify_verified_dsse_payload(v, &type, &payload, &n), SIGVERIFY_OK);
    CHECK(type != NULL && strcmp(type, "application/vnd.in-toto+json") == 0);
    CHECK(payload != NULL && n > 2 && payload[0] == '{');
    sigverify_verified_free(v);
    v = NULL;

    /* A managed-key result: no identity, certificate or claims; a key fingerprint. */
    CHECK_RC(sigverify_verify(key_v, bundle_key.data, bundle_key.len, artifact.data, artifact.len,
                              key_policy, &v, &err),
             SIGVERIFY_OK);
    if (v == NULL) {
        fprintf(stderr, "managed key: %s\n", sigverify_error_message(err));
        sigverify_error_free(err);
        return;
    }
    CHECK_RC(sigverify_verified_mode(v, &mode), SIGVERIFY_OK);
    CHECK(mode == SIGVERIFY_MODE_PUBLIC_KEY);
    s = (const char *)1;
    CHECK_RC(sigverify_verified_san(v, &s), SIGVERIFY_ERR_NOT_FOUND);
    CHECK_RC(sigverify_verified_issuer(v, &s), SIGVERIFY_ERR_NOT_FOUND);
    CHECK(s == (const char *)1);
    CHECK_RC(sigverify_verified_matched_identity(v, &idx), SIGVERIFY_ERR_NOT_FOUND);
    CHECK_RC(sigverify_verified_certificate(v, &der, &n), SIGVERIFY_ERR_NOT_FOUND);
    CHECK(der == NULL);
    CHECK_RC(sigverify_verified_claim_count(v, &n), SIGVERIFY_OK);
    CHECK(n == 0);
    CHECK_RC(sigverify_verified_claim_value(v, "Issuer (V2)", &s), SIGVERIFY_ERR_NOT_FOUND);
    CHECK_RC(sigverify_verified_key_fingerprint(v, &s), SIGVERIFY_OK);
    CHECK(is_hex(s, 64));
    const char *json = NULL;
    CHECK_RC(sigverify_verified_json(v, &json), SIGVERIFY_OK);
    CHECK(strstr(json, "\"mode\":\"public-key\"") != NULL && strstr(json, s) != NULL);
    sigverify_verified_free(v);
}

/* ---- Threads: one verifier, one policy, one result shared by all -------- */

#define THREADS 16
#define ROUNDS 4

static sigverify_verified *shared_result;

static void *worker(void *arg) {
    size_t id = (size_t)arg;
    long bad = 0;
    for (int round = 0; round < ROUNDS; round++) {
        sigverify_verified *v = NULL;
        sigverify_error *err = NULL;
        int32_t rc;
        switch ((id + (size_t)round) % 4) {
        case 0:
            rc = sigverify_verify(prod, bundle_v03.data, bundle_v03.len, artifact.data,
                                  artifact.len, id_policy, &v, &err);
            break;
        case 1:
            rc = sigverify_verify_digest_str(prod, bundle_dsse.data, bundle_dsse.len,
                                             "sha256:" ARTIFACT_SHA256, id_policy, &v, &err);
            break;
        case 2: {
            reader r = {artifact.data, artifact.len, 0, 33, 0, 0, 0};
            rc = sigverify_verify_read(prod, bundle_v03.data, bundle_v03.len, read_cb, &r,
                                       id_policy, &v, &err);
            break;
        }
        default:
            /* A failure path in parallel too. */
            rc = sigverify_verify(prod, bundle_v03.data, bundle_v03.len, bundle_v03.data, 10,
                                  id_policy, &v, &err);
            rc = (rc != SIGVERIFY_OK && v == NULL && sigverify_error_code(err) == rc)
                     ? SIGVERIFY_OK
                     : -1;
            break;
        }
        if (rc != SIGVERIFY_OK) bad++;
        /* Concurrent reads of one result, including its lazily built JSON. */
        const char *json = NULL, *san = NULL;
        if (sigverify_verified_json(shared_result, &json) != SIGVERIFY_OK || json == NULL ||
            sigverify_verified_san(shared_result, &san) != SIGVERIFY_OK || strcmp(san, IDENTITY) != 0)
            bad++;
        sigverify_verified_free(v);
        sigverify_error_free(err);
    }
    return (void *)bad;
}

static void test_threads(void) {
    pthread_t threads[THREADS];
    shared_result = verify_v03();
    CHECK(shared_result != NULL);
    if (shared_result == NULL) return;
    for (size_t i = 0; i < THREADS; i++)
        CHECK(pthread_create(&threads[i], NULL, worker, (void *)i) == 0);
    long bad = 0;
    for (size_t i = 0; i < THREADS; i++) {
        void *r = NULL;
        CHECK(pthread_join(threads[i], &r) == 0);
        bad += (long)r;
    }
    CHECK(bad == 0);
    const char *a = NULL, *b = NULL;
    CHECK_RC(sigverify_verified_json(shared_result, &a), SIGVERIFY_OK);
    CHECK_RC(sigverify_verified_json(shared_result, &b), SIGVERIFY_OK);
    CHECK(a == b);
    sigverify_verified_free(shared_result);
    shared_result = NULL;
}

/* ---- main --------------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s TEST_VECTORS_DIR\n", argv[0]);
        return 2;
    }
    vectors = argv[1];
    load_fixtures();
    struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"version_and_codes", test_version_and_codes},
        {"error_object", test_error_object},
        {"trusted_roots", test_trusted_roots},
        {"verifiers_and_options", test_verifiers_and_options},
        {"policies", test_policies},
        {"verify_bytes", test_verify_bytes},
        {"verify_digest", test_verify_digest},
        {"verify_dsse", test_verify_dsse},
        {"verify_fd", test_verify_fd},
        {"verify_read", test_verify_read},
        {"verified_getters_keyless", test_verified_getters_keyless},
        {"verified_getters_dsse_and_key", test_verified_getters_dsse_and_key},
        {"threads", test_threads},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int before = failures;
        tests[i].fn();
        printf("%-32s %s\n", tests[i].name, failures == before ? "ok" : "FAILED");
    }
    free_fixtures();
    printf("c unit tests: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
