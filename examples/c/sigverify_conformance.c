/*
 * sigverify_conformance: the sigstore-conformance CLI protocol over the
 * libsigverify C API, to prove the C ABI passes the conformance corpus.
 *
 *   sigverify_conformance verify-bundle [--staging] --bundle FILE
 *       (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
 *       [--trusted-root FILE] FILE_OR_DIGEST
 *
 * Exit status: 0 verified, 1 not verified, 2 usage error.
 *
 * Build against an installed libsigverify:
 *   cc -o sigverify_conformance examples/c/sigverify_conformance.c \
 *      $(pkg-config --cflags --libs sigverify)
 */
#define _POSIX_C_SOURCE 200809L

#include <sigverify.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: sigverify_conformance verify-bundle [--staging] --bundle FILE\n"
    "           (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)\n"
    "           [--trusted-root FILE] FILE_OR_DIGEST\n";

static int usage(const char *why) {
    fprintf(stderr, "sigverify_conformance: %s\n%s", why, USAGE);
    return 2;
}

/* Read a whole (small) file: bundle, key or trusted root. */
static int read_file(const char *path, uint8_t **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = buf == NULL || ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* SPEC 14.1: a digest only when "sha256:" + 64 hex digits and not an existing path. */
static int is_digest(const char *s) {
    struct stat st;
    if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64) return 0;
    for (const char *p = s + 7; *p != '\0'; p++)
        if (!isxdigit((unsigned char)*p)) return 0;
    return stat(s, &st) != 0;
}

static int fail(const char *what, sigverify_error *err) {
    if (err != NULL)
        fprintf(stderr, "sigverify_conformance: %s: %s: %s\n", what, sigverify_error_step(err),
                sigverify_error_message(err));
    else
        fprintf(stderr, "sigverify_conformance: %s\n", what);
    sigverify_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    const char *bundle_path = NULL, *identity = NULL, *issuer = NULL, *key_path = NULL;
    const char *root_path = NULL, *target = NULL;
    int staging = 0;

    if (argc < 2 || strcmp(argv[1], "verify-bundle") != 0) return usage("expected verify-bundle");
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = NULL;
        if (strcmp(arg, "--staging") == 0) {
            staging = 1;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0) {
            if (target != NULL) return usage("more than one artifact given");
            target = arg;
            continue;
        }
        /* --flag VALUE or --flag=VALUE */
        const char *eq = strchr(arg, '=');
        size_t name_len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        if (name_len == 8 && strncmp(arg, "--bundle", 8) == 0) slot = &bundle_path;
        else if (name_len == 22 && strncmp(arg, "--certificate-identity", 22) == 0) slot = &identity;
        else if (name_len == 25 && strncmp(arg, "--certificate-oidc-issuer", 25) == 0) slot = &issuer;
        else if (name_len == 5 && strncmp(arg, "--key", 5) == 0) slot = &key_path;
        else if (name_len == 14 && strncmp(arg, "--trusted-root", 14) == 0) slot = &root_path;
        else return usage("unknown option");
        if (*slot != NULL) return usage("option given twice");
        if (eq != NULL) *slot = eq + 1;
        else if (i + 1 < argc) *slot = argv[++i];
        else return usage("option needs a value");
    }
    if (bundle_path == NULL) return usage("--bundle is required");
    if (target == NULL) return usage("the artifact (a path or sha256:<hex>) is required");
    if (key_path != NULL && (identity != NULL || issuer != NULL))
        return usage("give either --key or an identity and issuer, not both");
    if (key_path == NULL && (identity == NULL || issuer == NULL))
        return usage("--certificate-identity and --certificate-oidc-issuer (or --key) are required");

    sigverify_error *err = NULL;
    sigverify_trusted_root *root = NULL;
    sigverify_verifier *verifier = NULL;
    sigverify_policy *policy = NULL;
    sigverify_verified *verified = NULL;
    uint8_t *bundle = NULL, *data = NULL;
    size_t bundle_len = 0, data_len = 0;
    int status = 1, rc;

    /* The trusted root: given, or the embedded staging or production root. */
    if (root_path != NULL) {
        if (read_file(root_path, &data, &data_len) != 0) {
            fprintf(stderr, "sigverify_conformance: cannot read %s: %s\n", root_path, strerror(errno));
            goto out;
        }
        rc = sigverify_trusted_root_from_json(data, data_len, &root, &err);
        free(data);
        data = NULL;
    } else if (staging) {
        rc = sigverify_trusted_root_staging(&root, &err);
    } else {
        rc = sigverify_trusted_root_production(&root, &err);
    }
    if (rc != SIGVERIFY_OK) {
        status = fail("trusted root", err);
        goto out;
    }
    if (sigverify_verifier_new(root, &verifier, &err) != SIGVERIFY_OK) {
        status = fail("verifier", err);
        goto out;
    }

    /* The policy: a managed key, or the certificate identity and issuer. */
    if (key_path != NULL) {
        if (read_file(key_path, &data, &data_len) != 0) {
            fprintf(stderr, "sigverify_conformance: cannot read %s: %s\n", key_path, strerror(errno));
            goto out;
        }
        rc = sigverify_policy_new_public_key(data, data_len, &policy, &err);
        free(data);
        data = NULL;
    } else {
        rc = sigverify_policy_new_identity(identity, issuer, 0, &policy, &err);
    }
    if (rc != SIGVERIFY_OK) {
        status = fail("policy", err);
        goto out;
    }

    if (read_file(bundle_path, &bundle, &bundle_len) != 0) {
        fprintf(stderr, "sigverify_conformance: cannot read %s: %s\n", bundle_path, strerror(errno));
        goto out;
    }

    /* The artifact: a digest, or a file streamed from its descriptor. */
    if (is_digest(target)) {
        rc = sigverify_verify_digest_str(verifier, bundle, bundle_len, target, policy, &verified, &err);
    } else {
        int fd = open(target, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "sigverify_conformance: cannot open %s: %s\n", target, strerror(errno));
            goto out;
        }
        rc = sigverify_verify_fd(verifier, bundle, bundle_len, fd, policy, &verified, &err);
        close(fd);
    }
    if (rc != SIGVERIFY_OK) {
        status = fail("verification failed", err);
        goto out;
    }
    status = 0;

out:
    sigverify_verified_free(verified);
    sigverify_policy_free(policy);
    sigverify_verifier_free(verifier);
    sigverify_trusted_root_free(root);
    free(bundle);
    return status;
}
