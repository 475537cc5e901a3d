// A server process for the two-node test: the real server (server/main.ts) plus two job types
// that write down every run, registered before the server starts its worker.
import './two-nodes.jobs.ts';
import '../server/main.ts';
