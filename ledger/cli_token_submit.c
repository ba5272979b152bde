// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One token record to cfn-ledgerd, synchronously: wait for the CHALLENGE,
 * HELLO as the account signing it, one BATCH, then wait for its ACK; an ERROR
 * before a rejected ACK holds the reason.  The frames are lib/export_proto's
 * (doc/export-protocol.md); the reconnecting lib/export client is for routers'
 * streams, a person typing `cfn-ledger order` wants one answer.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli_token.h"
#include "export_proto.h"
#include "note.h"
#include "util.h"

#define ANSWER_TIMEOUT_MS 30000

static int send_buf(int fd, struct export_buf *b)
{
	int rc = write_all(fd, b->data, b->len);

	b->len = 0;
	return rc;
}

/* Next frame into f (body in *in); 0 ok, -1 on error or timeout. */
static int next_frame(int fd, struct export_buf *in, size_t *used,
		      struct export_frame *f, char *err, size_t errlen)
{
	int code;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int rc = export_frame_parse(in->data, in->len, f, used, &code,
					    err, errlen);
		ssize_t n;

		if (rc == 1)
			return 0;
		if (rc < 0)
			return -1;
		if (poll(&p, 1, ANSWER_TIMEOUT_MS) <= 0)
			return cfn_err(err, errlen,
				       "no answer from the ledger");
		if (export_buf_reserve(in, 65536) < 0)
			return cfn_err(err, errlen, "out of memory");
		n = read(fd, in->data + in->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return cfn_err(err, errlen,
				       "the ledger closed the "
				       "connection");
		in->len += (size_t)n;
	}
}

static int converse(int fd, const char *origin, const struct note_key *key,
		    const uint8_t *rec, size_t len, uint64_t *index, char *err,
		    size_t errlen)
{
	struct export_buf out = {0}, in = {0};
	struct export_hello h = {.key_id = key->id, .has_sig = true};
	uint8_t nonce[EXPORT_NONCE_LEN], proof[EXPORT_HELLO_PROOF_MAX];
	struct export_ack_ent ents[EXPORT_BATCH_MAX];
	struct export_ack a = {.ents = ents};
	struct export_error e;
	struct export_frame f;
	char reason[EXPORT_REASON_MAX + 1] = "rejected";
	size_t start, used;
	int rc = -1, n;

	snprintf(h.name, sizeof(h.name), "%s", origin);
	/* the HELLO proves the account's key over the daemon's nonce */
	if (next_frame(fd, &in, &used, &f, err, errlen) < 0)
		goto out;
	if (f.type == EXPORT_MSG_ERROR &&
	    export_dec_error(&f, &e, err, errlen) == 0) {
		cfn_err(err, errlen, "%s", e.reason);
		goto out;
	}
	if (export_dec_challenge(&f, nonce, err, errlen) < 0)
		goto out;
	export_buf_consume(&in, used);
	n = export_hello_proof(nonce, &h, proof, sizeof(proof));
	if (n < 0 ||
	    note_ed25519_sign(key, proof, (size_t)n, h.sig, err, errlen) < 0) {
		cfn_err(err, errlen, "cannot sign the hello");
		goto out;
	}
	if (export_enc_hello(&out, &h) < 0 ||
	    export_batch_begin(&out, &start) < 0 ||
	    export_batch_add(&out, start, rec, len) < 0 ||
	    export_batch_end(&out, start) < 0 || send_buf(fd, &out) < 0) {
		cfn_err(err, errlen, "sending: %s", strerror(errno));
		goto out;
	}
	while (next_frame(fd, &in, &used, &f, err, errlen) == 0) {
		if (f.type == EXPORT_MSG_ERROR &&
		    export_dec_error(&f, &e, err, errlen) == 0) {
			snprintf(reason, sizeof(reason), "%s", e.reason);
			if (e.code != EXPORT_ERR_RECORD) {
				cfn_err(err, errlen, "%s", reason);
				goto out;
			}
		} else if (f.type == EXPORT_MSG_ACK) {
			if (export_dec_ack(&f, &a, err, errlen) < 0)
				goto out;
			if (a.count == 1 &&
			    ents[0].status == EXPORT_ACK_REJECTED) {
				cfn_err(err, errlen, "%s", reason);
				goto out;
			}
			if (a.count == 1) {
				*index = ents[0].index;
				rc = 0;
				goto out;
			}
		}
		export_buf_consume(&in, used);
	}
out:
	export_buf_free(&out);
	export_buf_free(&in);
	return rc;
}

int cli_token_submit(const char *socket_path, const char *origin,
		     const struct note_key *key, const uint8_t *rec, size_t len,
		     uint64_t *index, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, rc;

	if (strlen(socket_path) >= sizeof(sa.sun_path))
		return cfn_err(err, errlen, "socket path too long");
	strcpy(sa.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		cfn_err(err, errlen, "%s: %s", socket_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rc = converse(fd, origin, key, rec, len, index, err, errlen);
	close(fd);
	return rc;
}
