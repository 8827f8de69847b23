/* Unit tests of kubectl's STATUS column (kn_pod_status_column), case by
 * case as kubectl prints them, and of its inputs decoded from a Pod. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "objdecode.h"

static const char *
col(const struct kn_pod_status_in *in)
{
	static char buf[64];

	return kn_pod_status_column(in, buf, sizeof(buf));
}

static void
test_running_and_pending(void **state)
{
	struct kn_cstatus c = {.running = true, .ready = true};
	struct kn_pod_status_in in = {.phase = "Running",
				      .containers = &c,
				      .ncontainers = 1,
				      .ready_condition = true};

	(void)state;
	assert_string_equal(col(&in), "Running");
	in.phase = "Pending";
	in.ncontainers = 0;
	assert_string_equal(col(&in), "Pending");
	in.phase = NULL;
	assert_string_equal(col(&in), "Unknown");
}

static void
test_waiting_reasons(void **state)
{
	struct kn_cstatus c[2] = {{.running = true, .ready = true},
				  {.waiting = "CrashLoopBackOff"}};
	struct kn_pod_status_in in = {
		.phase = "Running", .containers = c, .ncontainers = 2};

	(void)state;
	assert_string_equal(col(&in), "CrashLoopBackOff");
	in.phase = "Pending";
	c[1].waiting = "ContainerCreating";
	assert_string_equal(col(&in), "ContainerCreating");
	c[1].waiting = "ErrImagePull";
	assert_string_equal(col(&in), "ErrImagePull");
	c[1].waiting = "ImagePullBackOff";
	assert_string_equal(col(&in), "ImagePullBackOff");
	/* The first container's reason wins (kubectl walks from the last). */
	c[0] = (struct kn_cstatus){.waiting = "CreateContainerConfigError"};
	assert_string_equal(col(&in), "CreateContainerConfigError");
}

static void
test_terminated(void **state)
{
	struct kn_cstatus c = {.terminated = true, .term_reason = "Completed"};
	struct kn_pod_status_in in = {
		.phase = "Succeeded", .containers = &c, .ncontainers = 1};

	(void)state;
	assert_string_equal(col(&in), "Completed");
	/* No container statuses: still Completed. */
	in.ncontainers = 0;
	assert_string_equal(col(&in), "Completed");
	in.ncontainers = 1;
	in.phase = "Failed";
	c.term_reason = "Error";
	assert_string_equal(col(&in), "Error");
	c.term_reason = "OOMKilled";
	assert_string_equal(col(&in), "OOMKilled");
	c.term_reason = NULL;
	c.exit_code = 137;
	assert_string_equal(col(&in), "ExitCode:137");
	c.signal = 9;
	assert_string_equal(col(&in), "Signal:9");
	/* The pod's own reason, when containers say nothing. */
	in.ncontainers = 0;
	in.reason = "Evicted";
	assert_string_equal(col(&in), "Evicted");
}

/* A completed container next to a running one: Running (or NotReady
 * without the Ready condition). */
static void
test_completed_with_running(void **state)
{
	struct kn_cstatus c[2] = {
		{.running = true, .ready = true},
		{.terminated = true, .term_reason = "Completed"}};
	struct kn_pod_status_in in = {.phase = "Running",
				      .containers = c,
				      .ncontainers = 2,
				      .ready_condition = true};

	(void)state;
	assert_string_equal(col(&in), "Running");
	in.ready_condition = false;
	assert_string_equal(col(&in), "NotReady");
}

static void
test_init_containers(void **state)
{
	struct kn_cstatus init[2] = {{.waiting = "PodInitializing"},
				     {.waiting = "PodInitializing"}};
	struct kn_cstatus c = {.waiting = "PodInitializing"};
	struct kn_pod_status_in in = {.phase = "Pending",
				      .init = init,
				      .ninit = 1,
				      .init_total = 1,
				      .containers = &c,
				      .ncontainers = 1};

	(void)state;
	assert_string_equal(col(&in), "Init:0/1");
	in.ninit = 2;
	in.init_total = 2;
	init[0] = (struct kn_cstatus){.terminated = true,
				      .term_reason = "Completed"};
	assert_string_equal(col(&in), "Init:1/2");
	init[1] = (struct kn_cstatus){.waiting = "ErrImagePull"};
	assert_string_equal(col(&in), "Init:ErrImagePull");
	init[1] = (struct kn_cstatus){.waiting = "CrashLoopBackOff"};
	assert_string_equal(col(&in), "Init:CrashLoopBackOff");
	init[1] = (struct kn_cstatus){
		.terminated = true, .term_reason = "Error", .exit_code = 1};
	assert_string_equal(col(&in), "Init:Error");
	init[1].term_reason = NULL;
	assert_string_equal(col(&in), "Init:ExitCode:1");
	init[1].signal = 15;
	assert_string_equal(col(&in), "Init:Signal:15");
	/* A started sidecar does not hold the pod in Init. */
	init[1] = (struct kn_cstatus){.restartable = true,
				      .started = true,
				      .running = true,
				      .ready = true};
	c = (struct kn_cstatus){.running = true, .ready = true};
	in.phase = "Running";
	assert_string_equal(col(&in), "Running");
	/* Initialized: the containers decide. */
	init[1] = (struct kn_cstatus){.waiting = "CrashLoopBackOff"};
	in.initialized = true;
	c = (struct kn_cstatus){.waiting = "CrashLoopBackOff"};
	assert_string_equal(col(&in), "CrashLoopBackOff");
}

static void
test_terminating(void **state)
{
	struct kn_cstatus c = {.running = true, .ready = true};
	struct kn_pod_status_in in = {.phase = "Running",
				      .containers = &c,
				      .ncontainers = 1,
				      .deleting = true};

	(void)state;
	assert_string_equal(col(&in), "Terminating");
	in.reason = "NodeLost";
	assert_string_equal(col(&in), "Unknown");
	/* A finished pod being deleted keeps its status. */
	in.reason = NULL;
	in.phase = "Succeeded";
	c = (struct kn_cstatus){.terminated = true, .term_reason = "Completed"};
	assert_string_equal(col(&in), "Completed");
}

static void
test_truncates(void **state)
{
	struct kn_cstatus c = {.waiting = "CrashLoopBackOff"};
	struct kn_pod_status_in in = {
		.phase = "Running", .containers = &c, .ncontainers = 1};
	char buf[6];

	(void)state;
	assert_string_equal(kn_pod_status_column(&in, buf, sizeof(buf)),
			    "Crash");
}

static const struct kn_pod *
decode(struct kn_model *m, const char *json)
{
	char eb[KN_ERRBUF];
	cJSON *o = cJSON_Parse(json);

	assert_non_null(o);
	assert_int_equal(kn_objdecode_apply(m, KN_EV_ADDED, "Pod", o, eb),
			 KN_OK);
	cJSON_Delete(o);
	return (const struct kn_pod *)kn_model_find(m, KN_POD, "default", "p");
}

static void
test_decoded_pod(void **state)
{
	struct kn_model *m = kn_model_new();
	const struct kn_pod *p;

	(void)state;
	p = decode(m,
		   "{\"metadata\":{\"name\":\"p\"},"
		   "\"spec\":{\"initContainers\":[{\"name\":\"a\"},"
		   "{\"name\":\"b\"}],\"containers\":[{\"name\":\"c\"}]},"
		   "\"status\":{\"phase\":\"Pending\","
		   "\"conditions\":[{\"type\":\"Initialized\","
		   "\"status\":\"False\"}],"
		   "\"initContainerStatuses\":[{\"name\":\"a\",\"state\":"
		   "{\"terminated\":{\"exitCode\":0,"
		   "\"reason\":\"Completed\"}}},"
		   "{\"name\":\"b\",\"state\":{\"running\":{}}}],"
		   "\"containerStatuses\":[{\"name\":\"c\",\"restartCount\":2,"
		   "\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]"
		   "}}");
	assert_non_null(p);
	assert_string_equal(p->status, "Init:1/2");
	assert_int_equal(p->restarts, 2);
	assert_int_equal(p->phase, KN_PHASE_PENDING);
	/* b is a sidecar: started, it no longer holds the pod. */
	p = decode(m, "{\"metadata\":{\"name\":\"p\","
		      "\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"},"
		      "\"spec\":{\"initContainers\":[{\"name\":\"b\","
		      "\"restartPolicy\":\"Always\"}],"
		      "\"containers\":[{\"name\":\"c\"}]},"
		      "\"status\":{\"phase\":\"Running\","
		      "\"initContainerStatuses\":[{\"name\":\"b\","
		      "\"started\":true,"
		      "\"state\":{\"running\":{}}}],"
		      "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,"
		      "\"state\":{\"running\":{}}}]}}");
	assert_string_equal(p->status, "Terminating");
	assert_true(p->terminating);
	assert_int_equal(p->ready_containers, 1);
	p = decode(m, "{\"metadata\":{\"name\":\"p\"},"
		      "\"status\":{\"phase\":\"Failed\",\"containerStatuses\":"
		      "[{\"name\":\"c\",\"state\":{\"terminated\":"
		      "{\"exitCode\":2}}}]}}");
	assert_string_equal(p->status, "ExitCode:2");
	kn_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running_and_pending),
		cmocka_unit_test(test_waiting_reasons),
		cmocka_unit_test(test_terminated),
		cmocka_unit_test(test_completed_with_running),
		cmocka_unit_test(test_init_containers),
		cmocka_unit_test(test_terminating),
		cmocka_unit_test(test_truncates),
		cmocka_unit_test(test_decoded_pod),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
