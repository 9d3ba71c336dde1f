/**
 * `POST composite/graph` (REST API guide, "Composite Graph", "Composite Subrequest", "Composite Graph Limits"):
 * several graphs in one request, each all-or-nothing on its own. Limits: 75 graphs, 500 nodes per graph and
 * per payload, depth 15, 15 different nodes (API version + method + object), and after more than 14 failed
 * graphs the remaining ones are not run. Nodes may only be sObject calls: POST sobjects/<Type>,
 * GET | PATCH | DELETE sobjects/<Type>/<Id> (methods case-sensitive). Nodes run in order through the same
 * subrequest execution as `composite` with allOrNone: the first failure rolls its graph back and every other
 * node of that graph answers PROCESSING_HALTED. Payload problems answer 400 for the whole request.
 */
import type { Context } from '../context.js';
import { isObject, jsonParserError, methodNotAllowed, type ApiRequest, type ApiResponse } from '../http.js';
import { parseDataPath } from '../router.js';
import { SalesforceError } from '../types.js';
import { halted, runSubrequests, type SubResponse, type Subrequest } from './composite.js';

export const GRAPH_LIMITS = { graphs: 75, nodesPerGraph: 500, nodesPerPayload: 500, depth: 15, differentNodes: 15, failures: 14 };

const TOO_MANY_FAILURES = `Processing halted: more than ${GRAPH_LIMITS.failures} graphs of this request failed.`;
const REFERENCE = /@\{([A-Za-z0-9][A-Za-z0-9_]*)[^}]*\}/g;

type Graph = { graphId: string; nodes: Subrequest[] };
type GraphResult = { graphId: string; graphResponse: { compositeResponse: SubResponse[] }; isSuccessful: boolean };

const invalid = (message: string): SalesforceError => new SalesforceError('INVALID_INPUT', message);
const limit = (message: string): SalesforceError => new SalesforceError('LIMIT_EXCEEDED', message);

/** The node's object key for the different-nodes limit, after checking it names a resource graphs support. */
function nodeKey(node: Subrequest, graphId: string): string {
  const [path] = node.url.split('?');
  const data = /@\{/.test(path.split('/').slice(0, 6).join('/')) ? undefined : parseDataPath(path);
  const segments = data?.segments ?? [];
  const id = segments.length === 3;
  const supported =
    data !== undefined &&
    segments[0] === 'sobjects' &&
    (segments.length === 2 ? node.method === 'POST' : id && ['GET', 'PATCH', 'DELETE'].includes(node.method));
  if (!supported) {
    throw invalid(
      `Node '${node.referenceId}' of graph '${graphId}': ${node.method} ${node.url} isn't supported in a composite graph. Use POST /services/data/vXX.X/sobjects/<SObject> or GET, PATCH, DELETE /services/data/vXX.X/sobjects/<SObject>/<id>.`
    );
  }
  return `${data.version} ${node.method} ${segments[1].toLowerCase()}`;
}

function parseNode(raw: unknown, graphId: string): Subrequest {
  if (!isObject(raw) || typeof raw.method !== 'string' || typeof raw.url !== 'string' || typeof raw.referenceId !== 'string') {
    throw jsonParserError(`Each node of graph '${graphId}' needs a method, a url and a referenceId`);
  }
  if (!['DELETE', 'GET', 'PATCH', 'POST'].includes(raw.method)) {
    throw invalid(`Invalid method '${raw.method}' in graph '${graphId}': use DELETE, GET, PATCH or POST (case-sensitive).`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(raw.referenceId)) {
    throw invalid(`Invalid referenceId ('${raw.referenceId}'). A referenceId can contain only alphanumeric characters and underscores, and must begin with an alphanumeric character.`);
  }
  return { method: raw.method, url: raw.url, referenceId: raw.referenceId, body: raw.body, httpHeaders: isObject(raw.httpHeaders) ? (raw.httpHeaders as Record<string, string>) : undefined };
}

/** The longest chain of references ending at each node (a node referencing nothing has depth 1). */
function depthOf(nodes: Subrequest[]): number {
  const depth = new Map<string, number>();
  let deepest = 0;
  for (const node of nodes) {
    const text = JSON.stringify([node.url, node.body ?? null]);
    let d = 1;
    for (const m of text.matchAll(REFERENCE)) d = Math.max(d, (depth.get(m[1]) ?? 0) + 1);
    depth.set(node.referenceId, d);
    deepest = Math.max(deepest, d);
  }
  return deepest;
}

function parseGraphs(body: unknown): Graph[] {
  if (!isObject(body) || !Array.isArray(body.graphs)) throw jsonParserError("Can not deserialize composite graph request: 'graphs' is required");
  if (body.graphs.length === 0) throw invalid('A composite graph request needs at least one graph.');
  if (body.graphs.length > GRAPH_LIMITS.graphs) {
    throw limit(`A composite graph request can't have more than ${GRAPH_LIMITS.graphs} graphs; it has ${body.graphs.length}.`);
  }
  const graphIds = new Set<string>();
  const keys = new Set<string>();
  let total = 0;
  const graphs = body.graphs.map((raw): Graph => {
    if (!isObject(raw) || typeof raw.graphId !== 'string' || raw.graphId === '' || !Array.isArray(raw.compositeRequest)) {
      throw jsonParserError('Each graph needs a graphId and a compositeRequest array');
    }
    const graphId = raw.graphId;
    if (graphIds.has(graphId)) throw invalid(`Duplicate graphId provided in the request: ${graphId}`);
    graphIds.add(graphId);
    if (raw.compositeRequest.length === 0) throw invalid(`Graph '${graphId}' has no nodes.`);
    if (raw.compositeRequest.length > GRAPH_LIMITS.nodesPerGraph) {
      throw limit(`Graph '${graphId}' can't have more than ${GRAPH_LIMITS.nodesPerGraph} nodes; it has ${raw.compositeRequest.length}.`);
    }
    const nodes = raw.compositeRequest.map((n) => parseNode(n, graphId));
    const seen = new Set<string>();
    for (const node of nodes) {
      if (seen.has(node.referenceId)) throw invalid(`Duplicate ReferenceId provided in the request: ${node.referenceId}`);
      seen.add(node.referenceId);
      keys.add(nodeKey(node, graphId));
    }
    const depth = depthOf(nodes);
    if (depth > GRAPH_LIMITS.depth) throw limit(`Graph '${graphId}' is ${depth} nodes deep; the maximum depth of a graph is ${GRAPH_LIMITS.depth}.`);
    total += nodes.length;
    return { graphId, nodes };
  });
  if (total > GRAPH_LIMITS.nodesPerPayload) {
    throw limit(`A composite graph request can't have more than ${GRAPH_LIMITS.nodesPerPayload} nodes in all; it has ${total}.`);
  }
  if (keys.size > GRAPH_LIMITS.differentNodes) {
    throw limit(
      `A composite graph request can't use more than ${GRAPH_LIMITS.differentNodes} different nodes (API version, method and object); it uses ${keys.size}.`
    );
  }
  return graphs;
}

export function graphRoute(ctx: Context, req: ApiRequest): ApiResponse {
  if (req.method !== 'POST') throw methodNotAllowed(req.method, ['POST']);
  const graphs = parseGraphs(req.body);
  let failures = 0;
  const results = graphs.map((graph): GraphResult => {
    if (failures > GRAPH_LIMITS.failures) {
      return { graphId: graph.graphId, graphResponse: { compositeResponse: graph.nodes.map((n) => halted(n.referenceId, TOO_MANY_FAILURES)) }, isSuccessful: false };
    }
    const responses = runSubrequests(ctx, true, graph.nodes);
    const isSuccessful = responses.every((r) => r.httpStatusCode < 400);
    if (!isSuccessful) failures++;
    return { graphId: graph.graphId, graphResponse: { compositeResponse: responses }, isSuccessful };
  });
  return { status: 200, body: { graphs: results } };
}
