"""Deterministic generator of the benchmark post-mortems.

    python bench/gen.py [--seed 0] [--out bench/.data] [--quick]

Writes, following the standard post-mortem template (Key Facts, Executive Summary,
Timeline, Contributors/Mitigators/Risks, Diagnostics, Learnings, Follow-ups, theme tags):

    doc2000.md       one post-mortem of about 2,000 words
    doc5000.md       one post-mortem of about 5,000 words
    archive/*.md     200 post-mortems, about 300,000 words in all (--quick: 20, 20,000)
    manifest.json    seed, sizes, word counts and how many problem sentences were planted
    .gitignore       "*" (generated data is never committed)

The text comes from sentence templates with many slot fillers (services, technologies,
components, metrics, times, teams, error messages, numbers). Most sentences are neutral
and technical; about one in twenty is something a blameless-writing linter flags (a
person's first name as the agent of a failure, "human error", "should have known",
"be more careful", "add more tests", follow-ups without an owner or a date). No paragraph,
list item or sentence of four words or more appears twice anywhere in the set: the
generator redraws a collision and checks the finished set (`check_unique`).

Same seed, same sizes -> the same bytes, on any machine and any PYTHONHASHSEED.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / ".data"
GENERATOR_VERSION = 1

FULL = {"doc_words": (2000, 5000), "archive_docs": 200, "archive_words": 300_000}
QUICK = {"doc_words": (2000, 5000), "archive_docs": 20, "archive_words": 20_000}

# ---------------------------------------------------------------- vocabulary

SERVICE_PREFIX = [
    "checkout", "payments", "ledger", "search", "catalog", "identity", "auth", "notifications", "billing",
    "inventory", "pricing", "shipping", "orders", "profile", "recommendations", "media", "upload", "reporting",
    "webhooks", "session", "cart", "fraud", "tax", "invoice", "loyalty", "messaging", "geo", "booking",
    "subscriptions", "refunds", "returns", "ads", "analytics", "exports", "feeds", "thumbnails",
]
SERVICE_SUFFIX = ["api", "worker", "service", "gateway", "indexer", "router", "scheduler", "consumer", "writer",
                  "proxy", "sync", "exporter", "cron", "frontend"]
PLATFORM_TEAMS = ["sre", "platform", "database", "network", "storage", "observability", "security",
                  "release-engineering", "mobile", "web", "data-platform", "edge", "developer-experience",
                  "streaming-platform", "compute", "traffic"]
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-1",
           "ap-southeast-2", "ap-northeast-1", "sa-east-1", "ca-central-1", "ap-south-1"]
PRODUCTS = ["checkout", "sign-in", "search results", "order history", "the mobile app", "the public API",
            "the merchant dashboard", "push notifications", "invoice downloads", "password resets",
            "the partner portal", "saved carts", "delivery tracking", "account settings", "the help centre",
            "gift card redemption", "the seller onboarding flow", "receipt emails"]
UNITS = ["orders", "payments", "messages", "webhook deliveries", "emails", "search queries", "file uploads",
         "API calls", "sessions", "background jobs", "refund requests", "invoices", "push notifications",
         "price updates", "shipment events", "login attempts"]
ROLES = ["the on-call engineer", "the incident commander", "the secondary on-call", "the database on-call",
         "the communications lead", "the service owner", "a responder from the platform team",
         "the network on-call", "the release manager", "the support liaison"]
NAMES = ["Priya", "Marcus", "Ingrid", "Tomás", "Aisha", "Kenji", "Olga", "Rafael", "Mei", "Dmitri", "Fatima",
         "Lars", "Chidi", "Sofia", "Arjun", "Hannah", "Kwame", "Yuki", "Mateo", "Leila", "Björn", "Anya", "Omar",
         "Greta", "Ravi", "Chloe", "Emeka", "Nadia", "Felix", "Zara", "Tobias", "Amara", "Jonas", "Ines",
         "Diego", "Sana", "Lukas", "Noor", "Pablo", "Elena", "Hiroshi", "Camille", "Nikhil", "Beatriz", "Oskar",
         "Wanjiru", "Siddharth", "Maren", "Yusuf", "Daria", "Gareth", "Lucía", "Thabo", "Ewa", "Connor"]
SEASONS = ["holiday", "Black Friday", "end-of-quarter", "back-to-school", "Singles' Day", "tax-deadline",
           "Cyber Monday", "summer sale", "Lunar New Year", "Prime Day"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CLASSES = ["byte[]", "HashMap$Node", "String", "RequestContext", "SpanData", "CachedRow", "ByteBuffer",
           "MetricPoint", "PendingWrite", "SessionToken"]
ACTIVITIES = ["the database failover", "the certificate rotation", "the routine deploy", "the cluster upgrade",
              "the schema migration", "the config rollout", "the capacity change", "the DNS cutover",
              "the secret rotation", "the cleanup of unused volumes", "the traffic shift", "the index rebuild"]
DOINGS = ["handling a second page", "in a planning meeting", "on a flight", "reviewing another change",
          "working on the quarterly report", "helping with a customer escalation", "at lunch",
          "debugging an unrelated ticket"]
THINGS = ["volume", "security group", "DNS record", "node pool", "database snapshot", "replica", "bucket policy",
          "Helm release", "target group", "topic", "index", "service account"]

# Each scenario: how one kind of incident is described. Slots in braces are filled per use.
SCENARIOS = [
    dict(key="pool", titles=["Connection pool exhaustion on {svc}", "{svc} timeouts from exhausted database connections"],
         mode="connection pool exhaustion",
         techs={"Postgres": ["FATAL: remaining connection slots are reserved for non-replication superuser connections",
                             "pq: sorry, too many clients already"],
                "MySQL": ["ERROR 1040 (HY000): Too many connections",
                          "HikariPool-1 - Connection is not available, request timed out after 30000ms"],
                "PgBouncer": ["no more connections allowed (max_client_conn)", "query_wait_timeout"]},
         comps=["connection pool", "database proxy", "pool size setting"],
         metrics=["active connections", "connection wait time", "pool utilisation"],
         triggers=["a deploy that doubled the number of worker processes per pod",
                   "a new reporting job that opened its own pool against the primary",
                   "a scale-out from {n} to {n2} replicas with an unchanged per-pod pool size"],
         fixes=["rolled back the worker count", "lowered the pool size per pod to {n}",
                "paused the reporting job and drained idle connections"],
         tags=["capacity", "configuration", "database"]),
    dict(key="cert", titles=["Expired TLS certificate on the {svc} ingress", "{svc} handshake failures after certificate expiry"],
         mode="certificate expiry", techs=["nginx", "Envoy", "HAProxy", "cert-manager"],
         comps=["TLS certificate", "certificate renewal job", "ingress certificate"],
         metrics=["TLS handshake failures", "renewal job success rate", "certificate days-to-expiry"],
         errs=["x509: certificate has expired or is not yet valid", "SSL_ERROR_EXPIRED_CERT_ALERT",
               "tls: failed to verify certificate: x509: certificate signed by unknown authority"],
         triggers=["the renewal job failing silently for {n} days", "a renewal that targeted the retired hostname",
                   "an intermediate certificate missing from the new bundle"],
         fixes=["issued and deployed a replacement certificate", "restored the previous certificate bundle",
                "forced a renewal through the ACME client and reloaded the proxies"],
         tags=["certificates", "automation", "monitoring"]),
    dict(key="disk", titles=["{svc} write failures from a full data volume", "Disk exhaustion on the {tech} cluster behind {svc}"],
         mode="disk exhaustion",
         techs={"Elasticsearch": ["flood stage disk watermark [95%] exceeded on node",
                                  "index read-only / allow delete (api)"],
                "Kafka": ["No space left on device", "Error while appending records to segment"],
                "Postgres": ["could not extend file: No space left on device"],
                "ClickHouse": ["Cannot reserve 1.00 MiB, not enough space", "Disk quota exceeded"]},
         comps=["data volume", "log retention policy", "disk watermark"],
         metrics=["disk utilisation", "free inodes", "segment count"],
         triggers=["a retention change that stopped old segments from being deleted",
                   "debug logging left enabled after the previous incident",
                   "a backfill that wrote {gb} GB more than planned"],
         fixes=["expanded the volumes by {gb} GB", "deleted expired segments by hand",
                "restored the retention setting and compacted the largest indices"],
         tags=["capacity", "storage", "alerting"]),
    dict(key="oom", titles=["Memory exhaustion restarts in {svc}", "{svc} crash loop from out-of-memory kills"],
         mode="memory exhaustion",
         techs={"the JVM": ["java.lang.OutOfMemoryError: Java heap space", "java.lang.OutOfMemoryError: Metaspace"],
                "Node.js": ["FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"],
                "the Go runtime": ["runtime: out of memory: cannot allocate 67108864-byte block",
                                   "fatal error: runtime: out of memory"],
                "Kubernetes": ["OOMKilled", "Back-off restarting failed container"]},
         comps=["heap limit", "memory request", "in-process cache"],
         metrics=["heap usage", "resident memory", "container restarts", "GC pause time"],
         triggers=["an unbounded in-process cache added in version {ver}",
                   "a traffic pattern that produced responses {n} times larger than usual",
                   "a library upgrade that changed the default buffer size"],
         fixes=["rolled back to version {ver}", "raised the memory limit to {gb} GiB and capped the cache",
                "disabled the new cache with a feature flag"],
         tags=["memory", "release", "capacity"]),
    dict(key="config", titles=["Routing configuration push breaks {svc}", "{svc} unreachable after a proxy config change"],
         mode="a bad routing configuration", techs=["Envoy", "Consul", "Istio", "nginx"],
         comps=["routing table", "service mesh config", "upstream cluster definition"],
         metrics=["5xx rate", "upstream connection failures", "healthy host count"],
         errs=["no healthy upstream", "upstream connect error or disconnect/reset before headers",
               "503 Service Unavailable", "route not found"],
         triggers=["a config push that renamed an upstream cluster",
                   "a template change that dropped the retry policy from {n} routes",
                   "a merge that applied staging weights to production"],
         fixes=["reverted the configuration push", "restored the previous routing table from the config store",
                "pinned the proxies to the last known good config version"],
         tags=["configuration", "deploy", "networking"]),
    dict(key="dns", titles=["DNS resolution failures for {svc}", "{svc} outage after a DNS record change"],
         mode="DNS resolution failures", techs=["CoreDNS", "Route 53", "the internal resolver"],
         comps=["DNS record", "resolver cache", "zone delegation"],
         metrics=["NXDOMAIN responses", "DNS query latency", "resolver errors"],
         errs=["dial tcp: lookup api.internal: no such host", "NXDOMAIN", "i/o timeout while resolving",
               "SERVFAIL from upstream resolver"],
         triggers=["a record deleted during the zone cleanup", "a TTL lowered to {n} seconds that overloaded the resolvers",
                   "a delegation change that had not propagated to every resolver"],
         fixes=["recreated the missing record", "restored the previous zone file",
                "scaled the resolver deployment from {n} to {n2} pods"],
         tags=["dns", "networking", "change-management"]),
    dict(key="replag", titles=["Stale reads from replica lag on {svc}", "{svc} served stale data during replication lag"],
         mode="replication lag", techs=["MySQL", "Postgres", "Aurora"],
         comps=["read replica", "replication stream", "read routing rule"],
         metrics=["replication lag", "replica apply rate", "stale read count"],
         errs=["Seconds_Behind_Master: 1843", "canceling statement due to conflict with recovery",
               "replica lag exceeds threshold, serving from primary"],
         triggers=["a bulk update of {big} rows in a single transaction", "a long-running analytics query on the replica",
                   "an index build that blocked the apply thread"],
         fixes=["moved reads back to the primary", "killed the long-running query on the replica",
                "split the bulk update into batches of {n} thousand rows"],
         tags=["database", "data-integrity", "capacity"]),
    dict(key="stampede", titles=["Cache stampede on {svc}", "{svc} overload after a cache flush"],
         mode="a cache stampede", techs=["Redis", "memcached", "the CDN"],
         comps=["cache tier", "key expiry policy", "cache warm-up job"],
         metrics=["cache hit ratio", "origin request rate", "database CPU"],
         errs=["READONLY You can't write against a read only replica", "ERR max number of clients reached",
               "SERVER_ERROR out of memory storing object", "upstream request timeout"],
         triggers=["a flush of the whole cache during a deploy", "keys that all expired within the same {n} seconds",
                   "a failover that started the new primary with an empty cache"],
         fixes=["enabled request coalescing on the cache client", "throttled traffic at the edge until the cache warmed",
                "restored the cache from the nightly snapshot"],
         tags=["caching", "capacity", "resilience"]),
    dict(key="queue", titles=["Message backlog in the {svc} queue", "Delayed {unit} from a stalled {tech} consumer"],
         mode="a consumer backlog",
         techs={"Kafka": ["Member left group due to max.poll.interval.ms exceeded", "Consumer heartbeat expired"],
                "RabbitMQ": ["PRECONDITION_FAILED - unknown delivery tag", "consumer ack timed out on channel 1"],
                "SQS": ["ReceiveMessage throttled", "ApproximateAgeOfOldestMessage above threshold"],
                "Celery": ["Hard time limit (300s) exceeded for task", "WorkerLostError: Worker exited prematurely"]},
         comps=["consumer group", "prefetch setting", "dead-letter queue"],
         metrics=["consumer lag", "queue depth", "messages in flight"],
         triggers=["a handler change that added a synchronous call to a slow dependency",
                   "a poison message that was redelivered {n} times", "a rebalance loop after a broker restart"],
         fixes=["reverted the handler change", "moved the poison message to the dead-letter queue",
                "restarted the consumers one at a time to break the rebalance loop"],
         tags=["messaging", "latency", "deploy"]),
    dict(key="migration", titles=["Table lock during a schema migration on {svc}", "{svc} writes blocked by a migration"],
         mode="a blocking schema migration", techs=["Postgres", "MySQL", "Django migrations"],
         comps=["schema migration", "migration runner", "lock timeout"],
         metrics=["lock wait time", "write latency", "blocked queries"],
         errs=["Lock wait timeout exceeded; try restarting transaction", "canceling statement due to lock timeout",
               "waiting for AccessExclusiveLock on relation"],
         triggers=["a migration that added a column with a default on a {big}-row table",
                   "an index created without the concurrent option", "a migration run during peak traffic"],
         fixes=["cancelled the migration and released the lock", "rebuilt the index concurrently",
                "rescheduled the migration to the low-traffic window"],
         tags=["database", "migrations", "change-management"]),
    dict(key="flag", titles=["Feature flag rollout disables {product} for some users", "Flag targeting error on {svc}"],
         mode="a feature flag misconfiguration", techs=["the flag service", "LaunchDarkly", "the config service"],
         comps=["feature flag", "targeting rule", "percentage rollout"],
         metrics=["conversion rate", "error rate by cohort", "flag evaluation count"],
         errs=["flag evaluation returned default for unknown context", "rule references deleted segment",
               "targeting rule mismatch"],
         triggers=["an inverted targeting rule that matched every user outside the pilot",
                   "a flag archived while {n} services still evaluated it", "a rollout jumped from {pct}% to 100%"],
         fixes=["turned the flag off", "restored the previous targeting rule", "rolled the percentage back to zero"],
         tags=["feature-flags", "release", "testing"]),
    dict(key="ratelimit", titles=["Third-party rate limiting breaks {product}", "{svc} throttled by an upstream provider"],
         mode="upstream rate limiting", techs=["the payment provider API", "the SMS gateway", "the maps API"],
         comps=["API quota", "client retry policy", "request budget"],
         metrics=["429 responses", "provider latency", "retry rate"],
         errs=["429 Too Many Requests", "rate_limit_exceeded: quota for project exhausted",
               "Retry-After: 120"],
         triggers=["a retry policy that retried every 429 immediately", "a batch job sharing the production API key",
                   "a quota reduced by the provider without notice"],
         fixes=["paused the batch job", "added jittered backoff to the client", "switched to the secondary provider"],
         tags=["third-party", "retries", "capacity"]),
    dict(key="autoscale", titles=["Autoscaler oscillation on {svc}", "{svc} capacity collapse from autoscaler thrash"],
         mode="autoscaler oscillation", techs=["Kubernetes", "the horizontal pod autoscaler", "the cluster autoscaler"],
         comps=["scaling policy", "CPU target", "scale-down stabilisation window"],
         metrics=["replica count", "pending pods", "CPU utilisation"],
         errs=["0/24 nodes are available: 24 Insufficient cpu.", "FailedGetResourceMetric",
               "pod didn't trigger scale-up: max node group size reached"],
         triggers=["a CPU target lowered to {pct}% in the last release", "a metrics-server outage that reported zero usage",
                   "a node group capped at {n} nodes"],
         fixes=["pinned the replica count to {n}", "restored the previous scaling policy", "raised the node group maximum"],
         tags=["autoscaling", "capacity", "kubernetes"]),
    dict(key="clock", titles=["Token validation failures from clock skew", "{svc} rejects tokens after time drift"],
         mode="clock skew", techs=["chrony", "NTP", "the token service"],
         comps=["time sync daemon", "token validation window", "NTP pool"],
         metrics=["clock offset", "token rejection rate", "login failures"],
         errs=["token used before issued", "JWT not yet valid (nbf)", "clock skew too great"],
         triggers=["hosts built from an image without the time sync daemon", "an NTP server blocked by a firewall change",
                   "a validation window tightened to {n} seconds"],
         fixes=["restarted time sync on the affected hosts", "widened the validation window to {n2} seconds",
                "rebuilt the hosts from the previous image"],
         tags=["time", "authentication", "infrastructure"]),
    dict(key="partition", titles=["Network partition between zones affects {svc}", "{svc} split-brain after a zone link failure"],
         mode="a network partition", techs=["etcd", "ZooKeeper", "Consul", "Cassandra"],
         comps=["inter-zone link", "quorum", "leader election"],
         metrics=["packet loss", "leader elections", "cross-zone latency"],
         errs=["etcdserver: request timed out", "lost quorum, stepping down", "read: connection reset by peer"],
         triggers=["a switch firmware upgrade in zone {az}", "a route table change that dropped the peering route",
                   "a provider fault on the link between zones"],
         fixes=["drained traffic from zone {az}", "restored the peering route", "forced a new leader election"],
         tags=["networking", "resilience", "consensus"]),
    dict(key="cron", titles=["Duplicate {unit} from overlapping scheduled jobs", "{svc} scheduled job ran twice"],
         mode="overlapping scheduled jobs", techs=["Airflow", "the cron scheduler", "Kubernetes CronJobs"],
         comps=["job lock", "concurrency policy", "schedule definition"],
         metrics=["job duration", "duplicate job runs", "lock acquisition failures"],
         errs=["lock already held by another worker", "job exceeded deadline", "duplicate key value violates unique constraint"],
         triggers=["a job that ran longer than its {n}-minute interval", "a daylight-saving change in the schedule",
                   "a concurrency policy set to Allow instead of Forbid"],
         fixes=["suspended the schedule", "set the concurrency policy to Forbid", "deduplicated the affected records"],
         tags=["scheduling", "data-integrity", "automation"]),
    dict(key="secret", titles=["Credential rotation breaks {svc}", "{svc} authentication failures after secret rotation"],
         mode="a credential rotation failure", techs=["Vault", "the secrets manager", "the KMS"],
         comps=["database credential", "service account key", "secret lease"],
         metrics=["authentication failures", "secret lease renewals", "permission errors"],
         errs=["permission denied", "password authentication failed for user", "invalid_grant: token has been revoked",
               "AccessDeniedException: not authorized to perform kms:Decrypt"],
         triggers=["a rotation that revoked the old credential before every pod reloaded",
                   "a lease TTL shortened to {n} minutes", "a policy change that removed decrypt permission"],
         fixes=["restored the previous credential", "restarted the pods to pick up the new secret",
                "re-added the decrypt permission"],
         tags=["secrets", "security", "automation"]),
    dict(key="healthcheck", titles=["Load balancer marks healthy {svc} pods as down", "{svc} outage from failing health checks"],
         mode="a health check misconfiguration", techs=["the load balancer", "HAProxy", "Kubernetes probes"],
         comps=["health check path", "readiness probe", "target group"],
         metrics=["healthy targets", "probe failures", "5xx rate"],
         errs=["Health checks failed with these codes: [404]", "Readiness probe failed: HTTP probe failed with statuscode: 500",
               "no servers available"],
         triggers=["a health endpoint that started checking a slow dependency", "a probe timeout of {n} second",
                   "a path rename that the health check still pointed at"],
         fixes=["pointed the health check at a shallow endpoint", "raised the probe timeout", "restored the old path"],
         tags=["load-balancing", "configuration", "observability"]),
    dict(key="retrystorm", titles=["Retry storm overwhelms {svc}", "{svc} overload from client retries"],
         mode="a retry storm", techs=["gRPC", "the API gateway", "the mobile client"],
         comps=["retry policy", "client timeout", "circuit breaker"],
         metrics=["request rate", "retry ratio", "queue time"],
         errs=["DEADLINE_EXCEEDED", "UNAVAILABLE: upstream connect error", "context deadline exceeded"],
         triggers=["a client release that retried without backoff", "a timeout shorter than the p99 latency",
                   "a brief slowdown in a dependency that tripled traffic through retries"],
         fixes=["rate-limited the mobile client at the gateway", "raised the client timeout to {n} seconds",
                "turned on load shedding at {pct}% utilisation"],
         tags=["retries", "resilience", "clients"]),
    dict(key="cdn", titles=["CDN purge sends full traffic to {svc} origin", "Origin overload after a cache purge"],
         mode="an origin overload after a cache purge", techs=["the CDN", "Varnish", "the edge cache"],
         comps=["purge API call", "cache key", "origin shield"],
         metrics=["origin request rate", "edge hit ratio", "origin latency"],
         errs=["504 Gateway Timeout", "origin unreachable", "too many requests to origin"],
         triggers=["a wildcard purge issued by a deploy script", "a cache key change that invalidated every object",
                   "an origin shield disabled during maintenance"],
         fixes=["re-enabled the origin shield", "served stale content at the edge", "scaled the origin to {n} instances"],
         tags=["cdn", "capacity", "deploy"]),
]

SEVERITIES = ["Sev-1", "Sev-2", "Sev-2", "Sev-3", "Sev-3", "Sev-3"]

# ---------------------------------------------------------------- templates: neutral text

SUMMARY_OPEN = [
    "On {date_long}, {svc} returned errors for {dur} minutes because of {mode}.",
    "For {dur} minutes on {date_long}, requests to {svc} failed or timed out after {mode} in {region}.",
    "Between {start} and {end} UTC on {date_long}, {pct}% of requests to {svc} failed.",
    "{product_cap} was degraded for {dur} minutes on {date_long} while {svc} suffered {mode}.",
    "{mode_cap} in {region} made {product} unavailable for about {dur} minutes on {date_long}.",
    "On {date_long} at {start} UTC, {svc} began rejecting requests, and {product} stayed degraded until {end} UTC.",
]
SUMMARY_MID = [
    "About {big} customers saw failed {unit} during that window.",
    "No data was lost, but {big} {unit} were delayed by up to {dur} minutes.",
    "The incident was triggered at {start} UTC by {trigger}.",
    "Users of {product} in {region} were affected first; other regions followed within {n} minutes.",
    "Support received {n3} tickets about {product} while the incident was open.",
    "The failure spread to {svc2}, which depends on {svc} for {unit}.",
    "Revenue impact is estimated at {money} in delayed or abandoned {unit}.",
    "Roughly {pct}% of the {unit} that failed were retried successfully by clients within an hour.",
    "Internal tools that read from {svc} were also affected, including the {anysvc} dashboard.",
]
SUMMARY_CLOSE = [
    "Responders {fix}, and service recovered by {end} UTC.",
    "We {fix} and are changing how {comp} limits for {svc} are reviewed.",
    "The team {fix}; the follow-ups below add an alert on {metric} and a check in CI for {svc}.",
    "Service was restored once the team {fix}, and the follow-ups address the {comp} settings of {svc}.",
    "After responders {fix}, {metric} returned to normal within {n} minutes.",
]
EXTRA_SUMMARY = [
    "This is the {ordinal} incident involving the {comp} of {svc} this year.",
    "The incident did not affect {anyproduct}, which runs on a separate {comp}.",
    "Customers on the enterprise plan received a direct email from their account managers within {n} hours.",
    "The status page was updated {n} times during the incident, first at {t1} UTC.",
    "Data for the affected {unit} was reconciled by {t2} UTC the next day, and no manual correction was needed.",
]

T_PRE = [
    "{svc} {ver} deployed to {region}",
    "Change {pr} merged to the {svc} repository",
    "Canary for {svc} {ver} reports healthy; full rollout begins",
    "Scheduled maintenance on the {techn} cluster in {region} starts",
    "Config change to the {comp} applied to {n} of {n2} pods of {svc}",
    "Traffic for the {season} campaign starts ramping up in {region}",
]
T_DETECT = [
    "{metric_cap} alert fires for {svc} in {region}",
    "Error rate on {svc} reaches {pct}%",
    "Synthetic checks from {n} locations start failing for {product}",
    "Customer support reports a rise in tickets about {product}",
    "{anymetric_cap} on {svc2} starts to climb",
    "First page for {svc}: {metric} above {value}",
    "Automated anomaly detection flags {metric} on {svc} as {n} standard deviations above normal",
]
T_RESPOND = [
    "On-call acknowledges the page for {svc} and opens #{channel}",
    "Incident declared as {sev}; incident commander assigned from {anyteam}",
    "Logs on {svc} show repeated `{err}`",
    "{anyteam_cap} on-call paged to look at the {comp}",
    "Status page updated: investigating elevated errors on {product}",
    "Decision made to {decision}",
    "Second responder from {anyteam} joins the bridge",
    "Dashboard shows {metric} at {value}",
    "Hypothesis: {hypothesis}; ruled out after checking {anymetric}",
    "Incident commander asks {anyteam} to pause deploys to {region}",
    "Heap dump and thread dump captured from {pod}",
    "Read-only mode enabled for {product} to protect writes",
    "{tech_cap} on {host} logs `{err2}`",
    "Customer communications lead posts an update to the top {n} affected accounts",
    "Incident commander hands over to the {region} on-call at shift change",
    "Traffic shifted away from {region} to {region2}",
    "Responders correlate the start of the errors with {pr}",
    "Query against the {techn} metrics shows the {comp} saturated since {t1} UTC",
    "Responders confirm {svc3} is unaffected and remove it from scope",
    "Bridge call opened with {n} responders from {n4} teams",
    "Incident commander sets a {n}-minute check-in cadence",
    "Request sent to the vendor's support for the {techn} cluster in {region}",
]
T_MITIGATE = [
    "Responders on {svc} {fix}",
    "Rollback of {svc} to {ver} starts",
    "Rollback completes on {n} of {n2} pods of {svc}",
    "Autoscaler adds {n} replicas of {svc}",
    "Load shedding enabled for {product} at {pct}% of capacity",
    "Feature flag for the new {svc} code path turned off in {region}",
    "Mitigation applied in {region2} first as a test; error rate there drops within {n} minutes",
]
T_RECOVER = [
    "{metric_cap} on {svc} back within the normal range; monitoring for recurrence",
    "Alert for {metric} on {svc} resolves",
    "Responders confirm that {svc2} is recovering without intervention",
    "Status page moved to monitoring after {n} minutes of normal {metric}",
    "All-clear declared for {product}; #{channel} stays open for follow-up questions",
    "Error rate on {svc} below {pct2}% for {n} consecutive minutes",
    "Backlog of {unit} on {svc2} fully drained",
]
T_AFTER = [
    "Post-incident review scheduled with {n} attendees from {n4} teams",
    "Fix for the {comp} merged as {pr} and deployed to {region}",
    "Draft post-mortem for {svc} shared in #{channel}",
    "Customer credits approved for {n3} affected accounts",
    "Replay of delayed {unit} for {svc2} completes",
]
DECISIONS = [("roll back {svc}", "debug forward"), ("fail over to {region2}", "wait for {region} to recover"),
             ("shed non-critical traffic", "scale the database"), ("disable the new code path", "hot-fix it"),
             ("restart the consumers one at a time", "restart them all at once"),
             ("serve stale data", "return errors"), ("pause the batch jobs", "add capacity"),
             ("drain {region}", "restart pods in place")]
HYPOTHESES = ["a bad deploy of {svc2}", "a provider outage in {region}", "a noisy neighbour on {host}",
              "a network fault between zones", "an expired credential on {svc2}",
              "a traffic spike from {season} promotions", "a regression in {anytech} {ver}",
              "a misrouted health check on {svc3}", "a full disk on {host}"]

CONTRIBUTORS = [
    "{trigger_cap}, which {consequence}",
    "The {comp} limit of {n} was sized for the traffic of {year}, before {growth}",
    "Alerting on {metric} used a {n}-minute window, so the first page arrived {n5} minutes after impact began",
    "{svc2} retries failed requests up to {n} times without backoff, which multiplied load on {svc}",
    "The runbook for {svc} described a {techn} setup that was retired in {year}",
    "Staging for {svc} runs with {pct}% of production traffic, so {mode} did not show up there",
    "The change to the {comp} in {pr} was reviewed, but the diff did not show the effective value after templating",
    "No dashboard put {metric} next to deploy events, so the link to {pr} took {n} minutes to find",
    "The {comp} for {svc} is set in {n4} different places, and two of them disagreed",
    "{tech_cap} reports {metric} only every {n} minutes, which hid the first part of the rise",
    "The deploy pipeline for {svc} allows changes to the {comp} without a canary stage",
    "Load tests for {svc} do not exercise {mode}, so its effects were unknown",
    "{svc} and {svc2} share one {comp}, so a problem in one affected both",
    "The alert for {metric} on {svc} pages the rotation of {anyteam}, which does not own the service",
    "The {comp} default in the shared library changed in version {ver}, and {svc} picked it up on its next build",
    "The error `{err}` was logged at debug level by {svc}, so it did not appear in the default log view",
    "Client timeouts in {svc2} were {n} seconds, longer than the {n6}-second budget of {product}",
]
CONSEQUENCES = ["pushed {metric} past its limit within {n} minutes", "left {svc} without spare capacity",
                "turned a slow dependency into a full outage", "made {n} of {n2} pods of {svc} unhealthy at once",
                "kept the failure invisible until customers reported it", "doubled the load on {svc2}"]
GROWTH = ["the {season} campaign", "the launch in {region}", "the move to {n2} smaller pods",
          "traffic grew by {pct}% over the year", "the merger of {svc} and {svc2}", "the new {anyproduct} feature"]
MITIGATORS = [
    "Circuit breakers in {svc2} shed load instead of queueing, which kept {product} partly available",
    "The on-call engineer had handled {mode} on {anysvc} in {month}, which shortened the diagnosis",
    "Health checks on the load balancer in front of {svc} removed failing pods within {n} seconds",
    "{tech_cap} kept every write in its log, so no {unit} were lost",
    "A read-only fallback served cached data for {pct}% of requests to {product}",
    "The rollback pipeline for {svc} finished in under {n} minutes",
    "Traffic in {region2} was unaffected, which let us move users of {svc} there",
    "The {metric} dashboard built after an earlier incident showed the problem at a glance",
    "A responder from {anyteam} joined within {n} minutes of the page",
    "Rate limits at the edge capped the load that reached {svc}",
    "Idempotency keys on {unit} meant client retries did not create duplicates in {svc2}",
    "The {comp} change for {svc} was behind a flag, so turning it off took {n} seconds",
    "Clients of {product} cache the last good response for {n} minutes, which hid the outage from many users",
]
RISKS = [
    "{n} other services use the same {comp} settings and carry the same exposure",
    "The {region} cluster that runs {svc} has no spare capacity for a second zone failure",
    "Only {n} people on {anyteam} have run a {techn} failover",
    "Backups of the {comp} data for {svc} have not been restored in a drill since {month} {year}",
    "The {season} peak is {n} weeks away and will bring about {n4} times the traffic {svc} saw today",
    "{svc2} still calls {svc} synchronously on the request path",
    "The runbook for {techn} in {region} has not been tested since the last upgrade",
    "Alerts on {metric} are not defined for {n} of the {n2} clusters",
    "The {techn} version behind {svc} reaches end of support in {month} {year2}",
    "{svc3} was built from the same template as {svc} and has the same {comp} settings",
]
DIAG = [
    "{metric_cap} on {svc} rose {rise} {span}.",
    "Traces for failed requests show {pct}% of the time spent waiting on the {comp}.",
    "We compared the {comp} before and after {pr} and found the effective limit had dropped from {n2} to {n}.",
    "The {techn} logs contain {big} occurrences of `{err}` during the incident window, against {n} in the previous week.",
    "CPU on the {techn} hosts stayed under {pct}%, which rules out saturation of those hosts.",
    "Request volume was within {pct2}% of the same hour a week earlier, so traffic alone does not explain the failure.",
    "A heap dump from {pod} showed {n} million live instances of `{cls}`.",
    "The first failed request in the access logs is at {t1} UTC, {n} minutes before the first alert.",
    "Latency on {svc2} followed {svc} with a delay of about {n} seconds, which matches its retry interval.",
    "Only pods scheduled on {host} and its neighbours showed the errors at first.",
    "The {metric} graph flattens at {value}, which is the configured ceiling for the {comp}.",
    "Across the incident, {big} requests failed and {big2} succeeded after one or more retries.",
    "The deploy log for {svc} {ver} shows the new {comp} values applied to all {n2} pods within {n} minutes.",
    "Error budgets for {svc} dropped from {pct_hi}% remaining to {pct2}% remaining over the incident.",
    "Packet captures from {host} show connections reset after {n} seconds, which matches the proxy idle timeout.",
    "The incident did not reproduce in the {svc} staging environment with {n} times the production request rate.",
    "Replaying the traffic from {t1} UTC against a test cluster produced the same `{err}` within {n} minutes.",
    "The {comp} settings were last changed {n} weeks before the incident, in {pr}.",
    "Timeouts started in {region} and reached {region2} about {n} minutes later.",
    "The slowest {pct}% of requests to {svc} accounted for most of the load on the {comp}.",
    "Metrics from {tech} confirm that {metric} crossed its limit at {t2} UTC.",
    "Error logs from {svc2} are dominated by `{err2}`, with {n3} distinct request paths affected.",
    "The capacity model for {svc} assumed {n} requests per second per pod; the measured peak was {n2}.",
    "Our synthetic checks for {product} run every {n} minutes, which explains part of the gap before the first synthetic failure.",
    "{anymetric_cap} on {svc3} stayed flat throughout, which places the problem upstream of it.",
    "Of the {n2} pods of {svc}, {n} restarted at least once between {t1} and {t2} UTC.",
    "The p99 latency of {svc} reached {latency} at {t2} UTC, against a normal {latency_low}.",
    "Requests that hit a warm {comp} completed normally; the failures were concentrated on cold paths.",
    "The {techn} cluster in {region} handled {n3} thousand operations per second at the peak, {n4} times its usual load.",
    "Comparing the failing and healthy pods of {svc} shows the difference is the {comp} setting, not the image.",
    "Dropped requests clustered around {t1} UTC, when the {comp} was reloaded on {n} pods at once.",
    "The error `{err}` first appears at {t1} UTC on {host}, {n} seconds after the change reached that host.",
    "A flame graph of {pod} during the incident shows {pct}% of CPU time in {techn} client code.",
    "Queue time at the load balancer in front of {svc} rose {rise_time} while backend latency stayed flat.",
    "The {metric} series for {region2} shows a smaller rise at {t2} UTC, which matches the traffic moved there.",
    "Audit logs show {n} changes to the {comp} of {svc} in the week before the incident, all through the pipeline.",
    "{svc2} logged {big} timeouts calling {svc}, most of them within {n} seconds of a pod restart.",
    "Memory on the {techn} nodes rose {rise_percent} {span}, without reaching the eviction threshold.",
    "The trace sample for {svc} from {t1} UTC has {n} spans waiting on the {comp} and none on the database.",
    "The alert rule for {metric} on {svc} uses a threshold of {value} and a {n}-minute evaluation window.",
]
DIAG_UNKNOWN = [
    "We could not determine why the {comp} on {svc} did not recover on its own; the {techn} logs from {t1} UTC had rotated.",
    "It is still unclear why only {region} was affected for the first {n} minutes.",
    "We do not yet know why {metric} dropped briefly at {t1} UTC before rising again.",
    "The cause of the {n}-second gap in {techn} metrics around {t2} UTC is not known.",
    "Why {n} of the {n2} pods of {svc} stayed healthy throughout is not yet explained.",
    "We have not found out why `{err}` stopped {n} minutes before the fix reached {region}.",
]
DIAG_HEADINGS = ["What the {techn} logs show", "Traffic and load on {svc}", "Why the first alert came late",
                 "History of the {comp} settings", "How the failure reached {svc2}", "Recovery of {svc}",
                 "Reproducing {mode} in staging", "Customer impact by region", "Timeline of the {comp} change",
                 "What the traces show"]
LEARN_TECH = [
    "Limits on the {comp} of {svc} need to scale with the number of pods, not be set once per service.",
    "{tech_cap} behaves differently under {mode} than our load tests of {svc} assumed.",
    "An alert on the rate of change of {metric} gives earlier warning than a fixed threshold on {svc}.",
    "Reviewers of {svc} changes need to see the effective value of the {comp} after templating.",
    "Retries without backoff turn a partial failure of {svc2} into a full one.",
    "Rollback of {svc} is fast; detecting that it was needed took {n} minutes.",
    "Staging differs from production in the {comp} of {svc}, so tests there did not cover this case.",
    "Sharing one {comp} between {svc} and {svc2} couples their failures.",
    "Error `{err}` in the {svc} logs is an early signal of {mode} and deserves its own alert.",
    "The capacity headroom of {svc} was {pct}% on paper and much less once {svc2} retried.",
]
LEARN_COORD = [
    "Paging {anyteam} directly saved time compared with posting in their channel.",
    "The incident channel had {n3} participants, which made it hard to see who was doing what.",
    "Status page updates for {product} lagged the internal timeline by {n} minutes.",
    "A single incident commander kept the response focused once {mode} was confirmed at {t1} UTC.",
    "Hand-over at the {region} shift change worked because the timeline in #{channel} was kept up to date.",
    "Nobody on the bridge knew who owned the {comp} of {svc}, which cost {n} minutes.",
    "Support had a customer-ready explanation for {product} {n} minutes after the incident was declared.",
]
LEARN_PRODUCT = [
    "The error page for {product} gave no hint that retrying later would work.",
    "Mobile clients retried more aggressively than web clients during the outage of {svc}.",
    "Customers of {product} in {region} could not tell from the status page whether they were affected.",
    "The fallback for {product} worked but showed data up to {n} minutes old.",
    "Failed {unit} were shown to customers as succeeded for about {n} minutes, which caused {n3} support contacts.",
]
FOLLOWUP_ACTIONS = [
    "Add an alert on {metric} at {pct}% of the limit with a {n}-minute window",
    "Move the {comp} settings for {svc} into the shared service template and derive them from replica count",
    "Add deploy markers to the {svc} dashboard",
    "Run a {techn} failover drill in {region} and record the recovery time",
    "Add a CI check that renders the {comp} values for {svc} and fails above {n2}",
    "Document the recovery steps for {mode} in the {svc} runbook with the exact commands",
    "Set a retry budget of {n} per request in the {svc2} client",
    "Load-test {svc} at {n} times peak traffic before the {season} peak",
    "Page the owning team for {metric} alerts on {svc} instead of the rotation of {anyteam}",
    "Add a canary stage for {comp} changes in the {svc} pipeline",
    "Publish a {metric} panel on the shared {techn} dashboard",
    "Cap the {comp} of {svc} at {n2} and alert when it reaches {pct}% of that",
    "Add an integration test that starts {svc} with an empty {comp} and checks recovery within {n} minutes",
    "Show the effective {comp} value in the deploy diff for {svc}",
    "Log `{err}` at warning level in {svc} and count it on the service dashboard",
    "Give {svc3} its own {comp} instead of sharing the one used by {svc}",
    "Add a status page component for {product} in {region}",
]

# ---------------------------------------------------------------- templates: what a blameless linter flags

P_BLAME = [
    "{name} forgot to update the {comp} settings after {activity}.",
    "{name} pushed {pr} straight to production without waiting for review.",
    "{name} missed the {metric} alert while {doing}.",
    "{name} ignored the warning about the {comp} in the {svc} deploy log.",
    "{name} misconfigured the {comp} on {svc} during the {region} rollout.",
    "{name} deleted the wrong {thing} while cleaning up {region}.",
    "{name} failed to check {metric} before widening the rollout of {svc}.",
    "{name} skipped the canary stage for {svc} {ver} to save time.",
    "{name} broke {svc} with a typo in the {comp} file.",
    "{name} dropped the ball on the {comp} for {svc}.",
    "This was {name}'s fault for not following the {svc} runbook.",
    "{name} should not have merged {pr} on a Friday afternoon.",
    "The root cause was human error during {activity} on {svc}.",
    "Ultimately this came down to human error in the {comp} change for {svc}.",
    "Human error during {activity} caused the {mode} on {svc}.",
    "It was a simple human error: the wrong {thing} in {region} was selected in the console.",
    "The change to the {comp} in {pr} was careless.",
    "The engineer who ran {activity} on {svc} was negligent.",
]
P_HINDSIGHT = [
    "The on-call engineer should have known that {comp} changes on {svc} need a restart.",
    "The reviewer should have caught the {comp} value in {pr}.",
    "Someone should have noticed {metric} climbing for {n} hours before the page on {svc}.",
    "Obviously the {comp} limit of {n} was too low for {season} traffic.",
    "In hindsight it is clear that {mode} on {svc} should have been tested in staging.",
    "Why didn't anyone look at the {metric} dashboard before the rollout to {region}?",
    "If only the deploy of {svc} had waited for the {techn} upgrade, none of this would have happened.",
    "Clearly the {comp} of {svc} was never going to survive {season} traffic.",
    "The team should have known better than to change the {comp} of {svc} during peak hours.",
]
P_VAGUE = [
    "Engineers need to be more careful when editing {comp} settings for {svc}.",
    "Everyone has to be more careful with production changes in {region}, especially around {techn}.",
    "We will make sure {mode} never happens again on {svc}.",
    "We need more tests for {svc} so that {mode} is caught earlier.",
    "The team should do training on {techn} before touching {region} again.",
    "People must pay closer attention to {metric} alerts on {svc}.",
    "We need to improve monitoring of the {comp} on {svc}.",
    "The {anyteam} and the owners of {svc} need to communicate better during incidents.",
]
P_TIMELINE = [
    "{name} restarts the {svc} pods in {region}",
    "{name} joins the bridge and starts looking at {metric}",
    "{name} suggests rolling back {svc} to {ver}",
    "{name} forgets to announce the rollback of {svc} in #{channel}",
    "{name} pushes {pr} to the {comp} without review",
    "{name} misses the page for {metric} on {svc}",
    "Per {name}, the {comp} of {svc} was changed that morning",
    "{name} takes over as incident commander from {name2}",
]
P_FOLLOWUP_VAGUE = [
    "Add more tests for {svc}", "Be more careful with {comp} changes on {svc}", "Do training on {techn} for {anyteam}",
    "Improve monitoring of {svc}", "Write more unit tests around the {comp} of {svc}",
    "Communicate better with {anyteam} during incidents", "Make sure {mode} never happens again in {region}",
    "Remind everyone to double-check {comp} changes in {region}", "Add more checks to the {svc} pipeline",
    "Improve the {svc} runbook",
]

THEME_TAGS = ["capacity", "configuration", "monitoring", "alerting", "communications", "deploy", "testing",
              "runbooks", "dependencies", "automation", "observability", "on-call", "change-management"]

# How often a sentence slot holds a flagged sentence: together about 1 in 20 sentences.
RATE = {"summary": 0.06, "timeline": 0.04, "contributors": 0.09, "diag": 0.05, "learnings": 0.08,
        "followups": 0.16}

# ---------------------------------------------------------------- machinery


class Collision(RuntimeError):
    pass


SLOT = re.compile(r"\{(\w+)\}")
PERCENT_WORDS = ("utilisation", "ratio", "usage", "error rate", "5xx rate", "success rate", "cpu", "loss",
                 "conversion", "retry rate")
TIME_WORDS = ("latency", "time", "lag", "pause", "duration", "offset", "age")


def words(text: str) -> int:
    return len(text.split())


def unit_kind(metric: str) -> str:
    m = metric.lower()
    if any(k in m for k in PERCENT_WORDS):
        return "percent"
    if any(k in m for k in TIME_WORDS):
        return "time"
    if any(k in m for k in ("rate", "responses", "failures", "errors", "rejection", "renewals", "evaluation")):
        return "rate"
    return "count"


class Writer:
    """Fills templates for one document, drawing fresh text until it has not been used in the set."""

    def __init__(self, rng: random.Random, seen: set[str], scenario: dict, date: dt.date, stats: dict,
                 target_words: int):
        self.rng, self.seen, self.sc, self.date, self.stats = rng, seen, scenario, date, stats
        self.usage: dict[str, int] = {}
        r = rng
        while True:  # the Key Facts line naming the services must be new too
            services = [f"{p}-{s}" for p, s in zip(r.sample(SERVICE_PREFIX, 3), r.sample(SERVICE_SUFFIX, 3),
                                                     strict=True)]
            self.affected = f"- **Affected services:** {services[0]}, {services[1]}"
            if self.affected not in seen:
                seen.add(self.affected)
                break
        team = services[0].split("-")[0]
        region, region2 = r.sample(REGIONS, 2)
        techs = scenario["techs"]
        tech = r.choice(list(techs))
        errs = techs[tech] if isinstance(techs, dict) else scenario["errs"]
        self.errs = errs
        self.fixed = {
            "svc": services[0], "svc2": services[1], "svc3": services[2], "team": team,
            "tech": tech, "techn": tech.removeprefix("the "), "comp": r.choice(scenario["comps"]),
            "metric": r.choice(scenario["metrics"]), "mode": scenario["mode"], "err": r.choice(errs),
            "region": region, "region2": region2, "product": r.choice(PRODUCTS), "unit": r.choice(UNITS),
            "season": r.choice(SEASONS), "channel": f"inc-{date:%Y%m%d}-{team}",
            "date_long": f"{date.day} {MONTHS[date.month - 1]} {date.year}", "year": str(date.year - r.randint(1, 3)),
            "year2": str(date.year + r.randint(0, 2)),
        }
        self.fixed["trigger"] = self.fill(r.choice(scenario["triggers"]))
        self.fixed["fix"] = self.fill(r.choice(scenario["fixes"]))
        self.start = dt.datetime.combine(date, dt.time(r.randint(0, 20), r.randint(0, 59)))
        minutes = r.randint(25, 150) + target_words // 40
        self.end = self.start + dt.timedelta(minutes=minutes)
        self.fixed.update(start=f"{self.start:%H:%M}", end=f"{self.end:%H:%M}", dur=str(minutes))

    # -- slots
    def slot(self, name: str) -> str:
        r = self.rng
        if name in self.fixed:
            return self.fixed[name]
        if name.endswith("_cap"):
            value = self.slot(name[:-4])
            if name.startswith("tech") and not value.startswith("the "):
                return value  # etcd, nginx, memcached keep their own spelling
            return value[:1].upper() + value[1:]
        if name.startswith("rise_"):
            return self.rise(name[5:])
        gen = {
            "n": lambda: str(r.randint(2, 40)), "n2": lambda: str(r.randint(41, 400)),
            "n3": lambda: str(r.randint(12, 900)), "n4": lambda: str(r.randint(2, 9)),
            "n5": lambda: str(r.randint(4, 70)), "n6": lambda: str(r.randint(2, 30)),
            "pct": lambda: str(r.randint(3, 97)), "pct2": lambda: str(r.randint(0, 40)),
            "pct_hi": lambda: str(r.randint(41, 99)),
            "big": lambda: f"{r.randint(1_200, 980_000):,}", "big2": lambda: f"{r.randint(1_200, 4_000_000):,}",
            "money": lambda: f"${r.randint(3, 900) * 100:,}",
            "gb": lambda: str(r.choice([16, 32, 64, 128, 200, 250, 500, 750, 1000])),
            "ver": lambda: f"{r.randint(1, 9)}.{r.randint(0, 40)}.{r.randint(0, 12)}",
            "pr": lambda: f"PR #{r.randint(1000, 99999)}",
            "host": lambda: f"ip-10-{r.randint(0, 255)}-{r.randint(0, 255)}-{r.randint(1, 254)}",
            "pod": lambda: f"{self.fixed['svc']}-{r.getrandbits(28):07x}-{r.choice('bcdfghjklmnpqrstvwxz')}{r.randint(10, 99)}",
            "anysvc": lambda: f"{r.choice(SERVICE_PREFIX)}-{r.choice(SERVICE_SUFFIX)}",
            "anyteam": lambda: f"the {r.choice(PLATFORM_TEAMS + SERVICE_PREFIX)} team",
            "anymetric": lambda: r.choice(r.choice(SCENARIOS)["metrics"]),
            "anytech": lambda: r.choice(list(r.choice(SCENARIOS)["techs"])).removeprefix("the "),
            "anyproduct": lambda: r.choice([p for p in PRODUCTS if p != self.fixed["product"]]),
            "name": lambda: r.choice(NAMES), "name2": lambda: r.choice(NAMES), "az": lambda: r.choice("abcdef"),
            "month": lambda: r.choice(MONTHS), "activity": lambda: r.choice(ACTIVITIES),
            "doing": lambda: r.choice(DOINGS), "thing": lambda: r.choice(THINGS), "cls": lambda: r.choice(CLASSES),
            "sev": lambda: r.choice(SEVERITIES), "err2": lambda: r.choice(self.errs),
            "ordinal": lambda: r.choice(["second", "third", "fourth", "fifth"]),
            "value": lambda: self.value(self.fixed["metric"]), "rise": lambda: self.rise(self.fixed["metric"]),
            "latency": lambda: f"{r.randint(2, 30)}.{r.randint(0, 9)} seconds",
            "latency_low": lambda: f"{r.randint(40, 600)} ms",
            "t1": lambda: self.clock(0.0, 0.5), "t2": lambda: self.clock(0.5, 1.0), "span": lambda: self.span(),
            "consequence": lambda: self.fill(r.choice(CONSEQUENCES)), "growth": lambda: self.fill(r.choice(GROWTH)),
            "hypothesis": lambda: self.fill(r.choice(HYPOTHESES)),
            "decision": lambda: self.fill(" rather than ".join(r.choice(DECISIONS))),
        }.get(name)
        if gen is None:
            raise KeyError(f"unknown slot {{{name}}}")
        return gen()

    def _pair(self, metric: str) -> tuple[str, str]:
        r = self.rng
        kind = metric if metric in ("percent", "time", "rate", "count") else unit_kind(metric)
        if kind == "percent":
            lo = r.randint(2, 45)
            return f"{lo}%", f"{r.randint(lo + 10, 100)}%"
        if kind == "time":
            return f"{r.randint(15, 400)} ms", f"{r.randint(2, 90)} seconds"
        if kind == "rate":
            lo = r.randint(1, 200)
            return f"{lo} per second", f"{lo * r.randint(4, 60):,} per second"
        lo = r.randint(8, 600)
        return f"{lo:,}", f"{lo * r.randint(3, 40):,}"

    def value(self, metric: str) -> str:
        return self._pair(metric)[1]

    def rise(self, metric: str) -> str:
        lo, hi = self._pair(metric)
        return f"from {lo} to {hi}"

    def clock(self, lo: float, hi: float) -> str:
        minutes = int(self.fixed["dur"])
        t = self.start + dt.timedelta(minutes=self.rng.randint(int(lo * minutes), int(hi * minutes)))
        return f"{t:%H:%M}"

    def span(self) -> str:
        a, b = sorted(self.rng.sample(range(int(self.fixed["dur"]) + 1), 2))
        return f"between {self.start + dt.timedelta(minutes=a):%H:%M} and {self.start + dt.timedelta(minutes=b):%H:%M} UTC"

    def fill(self, template: str) -> str:
        return SLOT.sub(lambda m: self.slot(m.group(1)), template)

    # -- fresh text
    def fresh(self, make) -> str:
        """Draw text from make() until it has not been used in the set (text under four words may repeat)."""
        for attempt in range(300):
            text = make(attempt)
            if words(text) < 4:
                return text
            if text not in self.seen:
                self.seen.add(text)
                return text
        raise Collision(f"could not draw fresh text, last: {text!r}")

    def pick(self, pool: list[str], attempt: int = 0) -> str:
        """A template from pool, preferring those this document has used least (any, after many attempts)."""
        if attempt < 30:
            low = min(self.usage.get(t, 0) for t in pool)
            pool = [t for t in pool if self.usage.get(t, 0) == low]
        template = self.rng.choice(pool)
        self.usage[template] = self.usage.get(template, 0) + 1
        return template

    def text(self, pool: list[str]) -> str:
        return self.fresh(lambda attempt: self.fill(self.pick(pool, attempt)))

    def unit(self, pool: list[str], problems: list[str] | None, rate: float) -> str:
        """One sentence, bullet or timeline entry; with probability rate a flagged one instead."""
        self.stats["sentences"] += 1
        if problems and self.rng.random() < rate:
            self.stats["planted"] += 1
            return self.text(problems)
        return self.text(pool)

    def paragraph(self, pools: list[list[str]], problems: list[str] | None, rate: float) -> str:
        """Sentences from each pool in turn, with a flagged sentence slipped in now and then."""
        out = []
        for pool in pools:
            if problems and self.rng.random() < rate:
                out.append(self.unit(problems, problems, 1.0))
            out.append(self.unit(pool, None, 0.0))
        return " ".join(out)


def timeline(w: Writer, rng: random.Random, n_entries: int) -> list[str]:
    """Timeline blocks: entries in phases (before, detection, response, mitigation, recovery, after), in time order."""
    dur = int(w.fixed["dur"])
    n_after = 0 if n_entries < 12 else max(1, n_entries // 12)
    n_pre, n_detect, n_mit, n_rec = rng.randint(1, 2), rng.randint(2, 3), rng.randint(2, 3), rng.randint(2, 3)
    n_resp = max(2, n_entries - n_pre - n_detect - n_mit - n_rec - n_after)

    def minutes(k: int, lo: int, hi: int) -> list[int]:
        return sorted(rng.randint(lo, max(lo, hi)) for _ in range(k))

    plan = (
        [(m, T_PRE) for m in minutes(n_pre, -rng.randint(20, 90), -2)]
        + [(m, T_DETECT) for m in minutes(n_detect, 0, int(dur * 0.12))]
        + [(m, T_RESPOND) for m in minutes(n_resp, int(dur * 0.12) + 1, int(dur * 0.72))]
        + [(m, T_MITIGATE) for m in minutes(n_mit, int(dur * 0.72) + 1, int(dur * 0.9))]
        + [(m, T_RECOVER) for m in minutes(n_rec, int(dur * 0.9) + 1, dur)]
        + [(m, T_AFTER) for m in minutes(n_after, dur + 60, dur + 60 * 24 * 6)]
    )
    blocks, lines, day = [], [], None
    for offset, pool in plan:
        t = w.start + dt.timedelta(minutes=offset)
        if t.date() != day:
            if lines:
                blocks.append("\n".join(lines))
            day, lines = t.date(), []
            blocks.append(f"**{day:%Y-%m-%d}**")
        problems = P_TIMELINE if pool is T_RESPOND or pool is T_MITIGATE else None
        entry = w.unit(pool, problems, RATE["timeline"] * 1.6 if problems else 0.0)
        lines.append(w.fresh(lambda attempt, e=entry, t=t: f"- **{t:%H:%M} UTC:** {e}"))
    blocks.append("\n".join(lines))
    return blocks


def postmortem(rng: random.Random, seen: set[str], target_words: int, date: dt.date, stats: dict) -> tuple[str, str]:
    """One post-mortem of about target_words words: (title, markdown)."""
    scenario = rng.choice(SCENARIOS)
    w = Writer(rng, seen, scenario, date, stats, target_words)
    title = w.text(scenario["titles"])
    title = title[:1].upper() + title[1:]
    scale = max(1, target_words // 700)
    blame_hindsight = P_BLAME + P_HINDSIGHT
    sections: dict[str, list[str]] = {}

    sections["key"] = ["## Key Facts", "\n".join([
        f"- **Severity:** {rng.choice(SEVERITIES)}",
        f"- **Impact start:** {w.start:%Y-%m-%d %H:%M} UTC",
        f"- **Impact end:** {w.end:%Y-%m-%d %H:%M} UTC",
        w.affected,
        w.fresh(lambda attempt: f"- **On-call rotation:** @{w.fixed['team']}-oncall (primary), "
                                f"@{rng.choice([t for t in PLATFORM_TEAMS if t != w.fixed['team']])}-oncall (secondary)"),
        "- **Customer impact:** " + w.text([
            "{unit_cap} failed for about {big} customers over {dur} minutes; no data lost",
            "{pct}% of requests to {product} failed for {dur} minutes; about {big} users affected",
            "{big} {unit} delayed by up to {dur} minutes; estimated {money} in delayed revenue",
        ]),
        f"- **Status page:** https://status.example.com/incidents/{rng.getrandbits(32):08x}",
    ])]

    mids = rng.sample(SUMMARY_MID, rng.randint(1, 3))
    sections["summary"] = ["## Executive Summary", w.paragraph(
        [SUMMARY_OPEN] + [[m] for m in mids] + [SUMMARY_CLOSE], blame_hindsight, RATE["summary"])]
    if target_words > 3000:
        sections["summary"].append(w.paragraph([EXTRA_SUMMARY, SUMMARY_MID, EXTRA_SUMMARY], blame_hindsight,
                                               RATE["summary"]))

    sections["timeline"] = ["## Timeline", *timeline(w, rng, max(8, int(target_words * 0.2 / 12))),
                            w.fresh(lambda attempt: w.fill(
                                "Incident channel: #{channel}; dashboard snapshots and the {svc} deploy log are "
                                f"linked in the appendix (ticket INC-{rng.randint(1000, 99999)})."))]

    def bullets(pool: list[str], count: int, problems, rate: float) -> str:
        items = []
        for _ in range(count):
            item = w.unit(pool, problems, rate)
            if rng.random() < 0.25:
                item = item.rstrip(".") + ". " + w.unit(DIAG, None, 0.0)
            items.append("- " + item.rstrip("."))
        return "\n".join(items)

    sections["cmr"] = [
        "## Contributors, Mitigators, Risks",
        "### Contributors", bullets(CONTRIBUTORS, rng.randint(3, 4) + scale, blame_hindsight, RATE["contributors"]),
        "### Mitigators", bullets(MITIGATORS, rng.randint(2, 3) + scale // 2, None, 0.0),
        "### Risks", bullets(RISKS, rng.randint(2, 3) + scale // 2, None, 0.0),
    ]

    def learn(pool: list[str], count: int) -> str:
        return "\n".join("- " + w.unit(pool, P_VAGUE + P_HINDSIGHT, RATE["learnings"]) for _ in range(count))

    sections["learnings"] = ["## Learnings",
                             "**Technical:**", learn(LEARN_TECH, rng.randint(2, 3) + scale // 2),
                             "**Coordination:**", learn(LEARN_COORD, rng.randint(1, 2) + scale // 3),
                             "**Product:**", learn(LEARN_PRODUCT, 1 + scale // 4)]

    def followup(attempt: int) -> str:
        owner = f"**@{rng.choice([w.fixed['team']] * 3 + PLATFORM_TEAMS)}-team:** "
        due = w.date + dt.timedelta(days=rng.randint(4, 60))
        due_s = f" **[{due:%b} {due.day}]**" if rng.random() < 0.6 else f" **[{due:%Y-%m-%d}]**"
        if rng.random() < RATE["followups"]:
            kind = rng.choice(["vague", "vague", "owner", "date", "both"])
            action = w.fill(w.pick(P_FOLLOWUP_VAGUE if kind == "vague" else FOLLOWUP_ACTIONS, attempt))
            if kind in ("owner", "both"):
                owner = ""
            if kind in ("date", "both"):
                due_s = ""
            return f"- [ ] {owner}{action}{due_s}\0planted"
        box = "[x]" if rng.random() < 0.15 else "[ ]"
        return f"- {box} {owner}{w.fill(w.pick(FOLLOWUP_ACTIONS, attempt))}{due_s}"

    items = []
    for _ in range(rng.randint(3, 5) + scale // 2):
        line = w.fresh(followup)
        stats["sentences"] += 1
        if line.endswith("\0planted"):
            stats["planted"] += 1
            seen.add(line := line.removesuffix("\0planted"))
        items.append(line)

    def tags(attempt: int) -> str:
        chosen = sorted(set(scenario["tags"][:2] + rng.sample(THEME_TAGS, rng.randint(1, 3))))
        return f"**Theme tags:** [{', '.join(chosen)}]"

    sections["followups"] = ["## Follow-ups", "\n".join(items), w.fresh(tags)]
    sections["appendix"] = ["## Appendix", "\n".join([
        w.fresh(lambda attempt: w.fill(f"- Dashboard: https://grafana.example.com/d/{rng.getrandbits(24):06x}/{{svc}}")),
        w.fresh(lambda attempt: w.fill("- Deploy log for {svc} from {start} to {end} UTC on {date_long}")),
        w.fresh(lambda attempt: w.fill("- Configuration diff for the {comp}, {pr}")),
    ])]

    # Diagnostics and Evidence grows until the document reaches its length.
    sections["diag"] = ["## Diagnostics and Evidence"]

    def assemble() -> str:
        order = ["key", "summary", "timeline", "cmr", "diag", "learnings", "followups", "appendix"]
        body = "\n\n".join(block for name in order for block in sections[name])
        return f"# Incident Post-mortem: {title}\n\n{body}\n"

    headings = rng.sample(DIAG_HEADINGS, len(DIAG_HEADINGS)) if target_words > 2500 else []
    count = words(assemble())
    first = True
    while count < target_words or first:
        if headings and not first and rng.random() < 0.2:
            sections["diag"].append("### " + w.fill(headings.pop()))
        kind = rng.random()
        if first or kind < 0.55:
            block = w.paragraph([DIAG] * rng.randint(3, 6), blame_hindsight, RATE["diag"])
        elif kind < 0.82:
            block = bullets(DIAG, rng.randint(2, 4), blame_hindsight, RATE["diag"])
        elif kind < 0.92:
            block = "- **Unknown:** " + w.unit(DIAG_UNKNOWN, None, 0.0)
        else:
            block = log_block(w)
        first = False
        sections["diag"].append(block)
        count += words(block)
    return title, assemble()


def log_block(w: Writer) -> str:
    r = w.rng
    lines = []
    t = w.start + dt.timedelta(seconds=r.randint(0, 600))
    for _ in range(r.randint(3, 6)):
        level = r.choice(["ERROR", "ERROR", "WARN", "ERROR"])
        line = w.fresh(lambda attempt, lv=level, tt=t: (
            f"{tt:%Y-%m-%dT%H:%M:%S}.{r.randint(0, 999):03d}Z {lv} {w.slot('pod')} {w.slot('err2')} "
            f"trace_id={r.getrandbits(64):016x}"))
        lines.append(line)
        t += dt.timedelta(seconds=r.randint(1, 90))
    return "```\n" + "\n".join(lines) + "\n```"


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")


def generate(seed: int = 0, doc_words=(2000, 5000), archive_docs: int = 200,
             archive_words: int = 300_000) -> tuple[dict[str, str], dict]:
    """The benchmark set as {relative path: text}, and its manifest. Pure: same arguments, same result."""
    rng = random.Random(seed)
    seen: set[str] = set()
    stats = {"sentences": 0, "planted": 0}
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(2000)]
    rng.shuffle(days)
    files: dict[str, str] = {}
    for size in doc_words:
        _, files[f"doc{size}.md"] = postmortem(rng, seen, size, days.pop(), stats)
    # archive: lengths spread log-normally (a few hundred to a few thousand words), scaled to the total
    raw = [rng.lognormvariate(0, 0.45) for _ in range(archive_docs)]
    factor = archive_words / sum(raw)
    for i, r in enumerate(raw):
        date = days.pop()
        title, text = postmortem(rng, seen, max(300, int(r * factor * 0.965)), date, stats)
        files[f"archive/{date:%Y-%m-%d}-{i:03d}-{slug(title)}.md"] = text
    check_unique(files)
    manifest = {
        "generator_version": GENERATOR_VERSION, "generator_sha256": source_hash(), "seed": seed,
        "doc_words": list(doc_words), "archive_docs": archive_docs, "archive_words_target": archive_words,
        "words": {name: words(text) for name, text in files.items() if not name.startswith("archive/")},
        "archive_words": sum(words(t) for n, t in files.items() if n.startswith("archive/")),
        "sentences": stats["sentences"], "planted_problems": stats["planted"],
        "one_problem_in": round(stats["sentences"] / max(1, stats["planted"]), 1),
        "sha256": hashlib.sha256("".join(f"{n}\0{t}\0" for n, t in sorted(files.items())).encode()).hexdigest(),
    }
    return files, manifest


def source_hash() -> str:
    """This file's hash: a set written by an edited generator is generated again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def units(text: str) -> list[str]:
    """What must be unique: paragraphs (blank-line separated blocks) and their lines, of four words or more,
    except headings and code fences."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if block and not block.startswith("#") and words(block) >= 4:
            out.append(block)
            lines = [ln.strip() for ln in block.splitlines()]
            if len(lines) > 1:
                out.extend(ln for ln in lines if words(ln) >= 4 and not ln.startswith(("#", "```")))
    return out


def check_unique(files: dict[str, str]) -> None:
    """Raise if any paragraph or line of four words or more appears twice in the set."""
    where: dict[str, str] = {}
    for name, text in files.items():
        for unit in units(text):
            if unit in where:
                raise AssertionError(f"repeated paragraph in {where[unit]} and {name}: {unit[:120]!r}")
            where[unit] = name


def write(out: Path, files: dict[str, str], manifest: dict) -> None:
    """Write the set into out (replacing an earlier generated archive) with a .gitignore of '*'."""
    ensure_gitignore(out)
    archive = out / "archive"
    if archive.is_dir():
        for old in archive.glob("*.md"):
            old.unlink()
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def ensure_gitignore(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def is_current(out: Path, seed: int, sizes: dict) -> bool:
    """True when out already holds the set these arguments generate (by its manifest)."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    want = {"generator_version": GENERATOR_VERSION, "generator_sha256": source_hash(), "seed": seed, "doc_words": list(sizes["doc_words"]),
            "archive_docs": sizes["archive_docs"], "archive_words_target": sizes["archive_words"]}
    if any(manifest.get(k) != v for k, v in want.items()):
        return False
    present = [out / name for name in manifest["words"]] + list((out / "archive").glob("*.md"))
    return all(p.is_file() for p in present) and len(present) == len(manifest["words"]) + sizes["archive_docs"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default: bench/.data)")
    parser.add_argument("--quick", action="store_true", help="a 20-document, 20,000-word archive")
    parser.add_argument("--archive-docs", type=int)
    parser.add_argument("--archive-words", type=int)
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.archive_docs is not None:
        sizes["archive_docs"] = args.archive_docs
    if args.archive_words is not None:
        sizes["archive_words"] = args.archive_words
    files, manifest = generate(args.seed, **sizes)
    write(args.out, files, manifest)
    print(summary(args.out, manifest))


def summary(out: Path, manifest: dict) -> str:
    docs = ", ".join(f"{n} {c:,} words" for n, c in manifest["words"].items())
    return (f"{out}: {docs}, archive of {manifest['archive_docs']} post-mortems, {manifest['archive_words']:,} words; "
            f"one planted problem per {manifest['one_problem_in']} sentences (seed {manifest['seed']})")


if __name__ == "__main__":
    main()
