// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Witness benchmarks, as ratios to the raw Ed25519 sign+verify time
 * measured in the same run (what a cosignature costs at the least: the
 * witness verifies the log's signature and makes its own):
 *
 *  - checkpoints cosigned per second by one witness, in process
 *    (witness_add_checkpoint: parse, verify, consistency proof, durable
 *    state, cosign) and over HTTP (a cfn-witness process, one client with
 *    keep-alive);
 *  - time from a checkpoint to its 2-of-3 quorum (and to all three) with
 *    three cfn-witness processes asked in parallel (libcurl multi).
 *
 *   bench-witness-bin CFN_WITNESS_PATH [N]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "checkpoint.h"
#include "cosig.h"
#include "util.h"
#include "witness.h"
#include "witness_req.h"

#define NW 3

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct note_key *logk;
static struct merkle_tree *tree;

/* The request moving a witness from old to size. */
static char *request(uint64_t old, uint64_t size, size_t *len)
{
	struct checkpoint c = {.size = size};
	struct merkle_proof p = {0};
	char body[256], *note, *req;
	int n;

	strcpy(c.origin, "bench.example/log");
	while (merkle_size(tree) < size) {
		uint8_t leaf[MERKLE_HASH_LEN];
		uint64_t i = merkle_size(tree);

		merkle_leaf_hash(&i, sizeof(i), leaf);
		merkle_append(tree, leaf, NULL, 0);
	}
	merkle_root(tree, size, c.root, NULL, 0);
	n = checkpoint_format(&c, body, sizeof(body));
	note_sign(body, (size_t)n, &logk, 1, &note, NULL, 0);
	if (old)
		merkle_prove_consistency(tree, old, size, &p, NULL, 0);
	witness_req_format(old, &p, note, strlen(note), &req, len);
	free(note);
	return req;
}

static double raw_ed25519(struct note_key *k, unsigned n)
{
	static const char msg[] =
		"cosignature/v1\ntime 1700000000\n"
		"bench.example/log\n1000\n"
		"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
	uint8_t sig[NOTE_ED25519_SIG];
	double t = now_s();

	for (unsigned i = 0; i < n; i++) {
		note_ed25519_sign(k, msg, sizeof(msg) - 1, sig, NULL, 0);
		if (!note_ed25519_verify(k, msg, sizeof(msg) - 1, sig))
			abort();
	}
	return (now_s() - t) / n;
}

static pid_t spawn_witness(const char *bin, const char *dir, int i, int port)
{
	char key[512], state[512], pol[512], listen[64], name[32];
	struct note_key *k;
	pid_t pid;

	snprintf(name, sizeof(name), "w%d.bench", i);
	snprintf(key, sizeof(key), "%s/w%d.key", dir, i);
	snprintf(state, sizeof(state), "%s/w%d", dir, i);
	snprintf(pol, sizeof(pol), "%s/log.policy", dir);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	note_key_generate(name, &k, NULL, 0);
	note_key_save_private(k, key, NULL, 0);
	note_key_free(k);
	pid = fork();
	if (pid == 0) {
		/* its start/stop lines are not benchmark output */
		if (!freopen("/dev/null", "w", stderr))
			_exit(127);
		execl(bin, bin, "--listen", listen, "--key", key, "--state",
		      state, "--policy", pol, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static long post(CURL *c, const char *url, const char *req, size_t len)
{
	long code = 0;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, req);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	if (curl_easy_perform(c) != CURLE_OK)
		return -1;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

static size_t sink(char *p, size_t s, size_t n, void *a)
{
	return s * n;
}

static CURL *client(void)
{
	CURL *c = curl_easy_init();

	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	return c;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 2 ? (unsigned)atoi(argv[2]) : 500;
	char dir[] = "/tmp/bench-witness.XXXXXX", path[600], vk[NOTE_VKEY_MAX];
	char url[NW][64], cmd[700], err[512];
	struct note_key *wkey;
	struct policy *pol;
	struct witness w;
	struct witness_reply r;
	int port0 = 20000 + (int)(getpid() % 20000);
	pid_t pids[NW];
	double raw, t, inproc, http, q2 = 0, q3 = 0;
	uint64_t size = 0;
	char **reqs;
	size_t *lens;
	CURL *c[NW];
	CURLM *m;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-witness-bin CFN_WITNESS [N]\n");
		return 2;
	}
	if (!mkdtemp(dir))
		return 1;
	note_key_generate("bench.example/log", &logk, NULL, 0);
	merkle_open(&tree, NULL, NULL, 0);
	note_key_format_vkey(logk, vk, sizeof(vk));
	{
		char text[NOTE_VKEY_MAX + 32];
		int l = snprintf(text, sizeof(text), "log %s\nquorum none\n",
				 vk);

		snprintf(path, sizeof(path), "%s/log.policy", dir);
		write_file_atomic(path, text, (size_t)l, 0644, NULL, 0);
		if (policy_parse(text, (size_t)l, &pol, err, sizeof(err)) < 0)
			return 1;
	}
	note_key_generate("w0.bench", &wkey, NULL, 0);
	raw = raw_ed25519(wkey, n);

	/* in process: one witness, durable state in dir */
	snprintf(path, sizeof(path), "%s/inproc", dir);
	witness_init(&w, wkey, pol, path, err, sizeof(err));
	/* the log's side (signing, proofs) is made before the clock runs */
	reqs = calloc(n, sizeof(*reqs));
	lens = calloc(n, sizeof(*lens));
	for (unsigned i = 0; i < n; i++, size += 10)
		reqs[i] = request(size, size + 10, &lens[i]);
	t = now_s();
	for (unsigned i = 0; i < n; i++) {
		witness_add_checkpoint(&w, reqs[i], lens[i], &r);
		if (r.status != 200)
			abort();
	}
	inproc = (now_s() - t) / n;
	for (unsigned i = 0; i < n; i++)
		free(reqs[i]);
	witness_fini(&w);

	/* three cfn-witness processes */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int i = 0; i < NW; i++) {
		pids[i] = spawn_witness(argv[1], dir, i, port0 + i);
		snprintf(url[i], sizeof(url[i]),
			 "http://127.0.0.1:%d/add-checkpoint", port0 + i);
		c[i] = client();
	}
	for (int tries = 0;; tries++) {
		size_t len;
		char *req = request(0, 1, &len);
		bool up = true;

		for (int i = 0; i < NW; i++)
			up &= post(c[i], url[i], req, len) > 0;
		free(req);
		if (up)
			break;
		if (tries > 200) {
			fprintf(stderr, "bench-witness: witnesses not up\n");
			return 1;
		}
		usleep(20000);
	}
	/* one witness over HTTP (each witness holds size 1 now) */
	size = 1;
	for (unsigned i = 0; i < n; i++, size += 10)
		reqs[i] = request(size, size + 10, &lens[i]);
	t = now_s();
	for (unsigned i = 0; i < n; i++)
		if (post(c[0], url[0], reqs[i], lens[i]) != 200)
			abort();
	http = (now_s() - t) / n;
	for (unsigned i = 0; i < n; i++)
		free(reqs[i]);
	free(reqs);
	free(lens);
	/* checkpoint to quorum: witnesses 1 and 2 at size 1; all three
	 * asked in parallel, the third one (witness 0) far ahead: it
	 * answers 409 quickly, so ask witness 0 with its own size */
	m = curl_multi_init();
	{
		uint64_t s12 = 1, s0 = size;
		unsigned rounds = n / 5 ? n / 5 : 1;

		for (unsigned k = 0; k < rounds; k++) {
			uint64_t next = s0 + 10;
			size_t l12, l0;
			char *r12 = request(s12, next, &l12),
			     *r0 = request(s0, next, &l0);
			int done = 0, running;
			double t0 = now_s();

			for (int i = 0; i < NW; i++) {
				curl_easy_setopt(c[i], CURLOPT_URL, url[i]);
				curl_easy_setopt(c[i], CURLOPT_POSTFIELDS,
						 i ? r12 : r0);
				curl_easy_setopt(c[i], CURLOPT_POSTFIELDSIZE,
						 (long)(i ? l12 : l0));
				curl_multi_add_handle(m, c[i]);
			}
			while (done < NW) {
				CURLMsg *msg;
				int left;

				curl_multi_perform(m, &running);
				while ((msg = curl_multi_info_read(m, &left))) {
					if (msg->msg != CURLMSG_DONE)
						continue;
					if (++done == 2)
						q2 += now_s() - t0;
					curl_multi_remove_handle(
						m, msg->easy_handle);
				}
				if (done < NW)
					curl_multi_poll(m, NULL, 0, 10, NULL);
			}
			q3 += now_s() - t0;
			s12 = s0 = next;
			free(r12);
			free(r0);
		}
		q2 /= rounds;
		q3 /= rounds;
	}
	for (int i = 0; i < NW; i++) {
		kill(pids[i], SIGTERM);
		waitpid(pids[i], NULL, 0);
		curl_easy_cleanup(c[i]);
	}
	curl_multi_cleanup(m);
	printf("baseline: raw Ed25519 sign+verify %.1f us (%.0f/s)\n",
	       raw * 1e6, 1 / raw);
	printf("one witness in process (verify, proof, fsync'd state, cosign): "
	       "%.0f cosigned/s, %.1fx the raw sign+verify time\n",
	       1 / inproc, inproc / raw);
	printf("one cfn-witness over HTTP (keep-alive): %.0f cosigned/s, "
	       "%.1fx the raw sign+verify time\n",
	       1 / http, http / raw);
	fflush(stdout);
	printf("checkpoint to 2-of-3 quorum, three cfn-witness in parallel: "
	       "%.2f ms (%.1fx raw); to all three %.2f ms (%.1fx raw)\n",
	       q2 * 1e3, q2 / raw, q3 * 1e3, q3 / raw);
	fflush(stdout);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	merkle_close(tree);
	note_key_free(logk);
	return 0;
}
