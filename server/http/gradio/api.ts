/**
 * The Gradio "app" we pretend to be: one queued generator endpoint
 * `/generate` with six inputs and two outputs (Mermaid code, JSON result).
 * Builds the `/config` and `/gradio_api/info` documents and maps a Gradio
 * `data` array (or keyword object) onto our GenerateRequest. See
 * ../shared/specs/gradio-protocol.md §3, §4 and §6.
 */
import { DIAGRAM_TYPES, DIRECTIONS, type DiagramType, type Direction } from '../../../common/limits.ts';
import { normalizeRequest, type RequestField, type RequestProblem, type ValidRequest } from '../../../common/request.ts';

export const API_PREFIX = '/gradio_api';
export const API_NAME = 'generate';
export const FN_INDEX = 0;

interface InputSpec {
  id: number;
  name: keyof GradioInputs;
  type: string;
  component: string;
  props: Record<string, unknown>;
  schema: Record<string, unknown>;
  pythonType: string;
  hasDefault: boolean;
  default: unknown;
  example: unknown;
}

export interface GradioInputs {
  description: string;
  diagram_type: DiagramType;
  direction: Direction;
  current_diagram: string;
  instruction: string;
  max_new_tokens: number | null;
}

const enumType = (values: readonly string[]) => `Literal[${values.map((v) => `'${v}'`).join(', ')}]`;

export function inputSpecs(maxNewTokens: number): InputSpec[] {
  return [
    {
      id: 1,
      name: 'description',
      type: 'textbox',
      component: 'Textbox',
      props: { label: 'description', lines: 6 },
      schema: { type: 'string' },
      pythonType: 'str',
      hasDefault: false,
      default: null,
      example: 'A user logs in; on failure they may retry up to 3 times, then the account is locked.',
    },
    {
      id: 2,
      name: 'diagram_type',
      type: 'dropdown',
      component: 'Dropdown',
      props: { label: 'diagram_type', choices: DIAGRAM_TYPES.map((t) => [t, t]), value: 'auto' },
      schema: { type: 'string', enum: [...DIAGRAM_TYPES] },
      pythonType: enumType(DIAGRAM_TYPES),
      hasDefault: true,
      default: 'auto',
      example: 'flowchart',
    },
    {
      id: 3,
      name: 'direction',
      type: 'radio',
      component: 'Radio',
      props: { label: 'direction', choices: DIRECTIONS.map((d) => [d, d]), value: 'TD' },
      schema: { type: 'string', enum: [...DIRECTIONS] },
      pythonType: enumType(DIRECTIONS),
      hasDefault: true,
      default: 'TD',
      example: 'TD',
    },
    {
      id: 4,
      name: 'current_diagram',
      type: 'code',
      component: 'Code',
      props: { label: 'current_diagram (refinement)', language: 'markdown', value: '' },
      schema: { type: 'string' },
      pythonType: 'str',
      hasDefault: true,
      default: '',
      example: '',
    },
    {
      id: 5,
      name: 'instruction',
      type: 'textbox',
      component: 'Textbox',
      props: { label: 'instruction (refinement)', value: '' },
      schema: { type: 'string' },
      pythonType: 'str',
      hasDefault: true,
      default: '',
      example: '',
    },
    {
      id: 6,
      name: 'max_new_tokens',
      type: 'number',
      component: 'Number',
      props: { label: 'max_new_tokens', value: maxNewTokens, precision: 0, minimum: 1, maximum: maxNewTokens },
      schema: { type: 'number' },
      pythonType: 'float',
      hasDefault: true,
      default: maxNewTokens,
      example: maxNewTokens,
    },
  ];
}

const OUTPUTS = [
  { id: 7, type: 'code', component: 'Code', label: 'mermaid', props: { label: 'mermaid', language: 'markdown' }, schema: { type: 'string' }, pythonType: 'str' },
  {
    id: 8,
    type: 'json',
    component: 'Json',
    label: 'result',
    props: { label: 'result' },
    schema: { type: 'object', description: 'Progress while generating; the DiagramResult when done' },
    pythonType: 'dict',
  },
] as const;

export function gradioConfig(opts: { title: string; maxNewTokens: number; spaceId?: string | null }) {
  const inputs = inputSpecs(opts.maxNewTokens);
  const components = [
    ...inputs.map((i) => ({
      id: i.id,
      type: i.type,
      props: { ...i.props, name: i.type, visible: true },
      skip_api: false,
      api_info: i.schema,
      component_class_id: i.type,
    })),
    ...OUTPUTS.map((o) => ({ id: o.id, type: o.type, props: { ...o.props, name: o.type, visible: true }, skip_api: false, api_info: o.schema, component_class_id: o.type })),
  ];
  const ids = components.map((c) => ({ id: c.id }));
  return {
    version: '6.25.0',
    protocol: 'sse_v3',
    api_prefix: API_PREFIX,
    mode: 'blocks',
    app_id: 'mermaid-flow-generator',
    title: opts.title,
    enable_queue: true,
    connect_heartbeat: false,
    space_id: opts.spaceId ?? null,
    show_error: true,
    is_colab: false,
    is_space: Boolean(opts.spaceId),
    max_file_size: null,
    username: null,
    components,
    dependencies: [
      {
        id: FN_INDEX,
        api_name: API_NAME,
        inputs: inputs.map((i) => i.id),
        outputs: OUTPUTS.map((o) => o.id),
        targets: [[1, 'submit']],
        backend_fn: true,
        queue: true,
        types: { generator: true, cancel: false },
        api_visibility: 'public',
        show_api: true,
        connection: 'sse',
        js: null,
        trigger_mode: 'once',
        rendered_in: null,
        max_batch_size: 4,
        batch: false,
      },
    ],
    layout: { id: 0, children: ids },
    page: { '': { components: components.map((c) => c.id), dependencies: [FN_INDEX], layout: { id: 0, children: ids } } },
    pages: [['', 'Home', true]],
  };
}

export function gradioInfo(opts: { maxNewTokens: number }) {
  return {
    named_endpoints: {
      [`/${API_NAME}`]: {
        parameters: inputSpecs(opts.maxNewTokens).map((i) => ({
          label: i.name,
          parameter_name: i.name,
          parameter_has_default: i.hasDefault,
          parameter_default: i.default,
          type: i.schema,
          python_type: { type: i.pythonType, description: '' },
          component: i.component,
          example_input: i.example,
        })),
        returns: OUTPUTS.map((o) => ({
          label: o.label,
          type: o.schema,
          python_type: { type: o.pythonType, description: '' },
          component: o.component,
        })),
        api_visibility: 'public',
        show_api: true,
        description: 'Turn a plain-language process description into a Mermaid diagram (streams the diagram as it grows).',
      },
    },
    unnamed_endpoints: {},
  };
}

/** One problem with a submitted value, in Gradio's 422 list form. */
export interface GradioValidationIssue {
  __type__: 'validate';
  is_valid: false;
  parameter_name: string;
  message: string;
}

export class GradioInputError extends Error {
  constructor(readonly issues: GradioValidationIssue[]) {
    super(issues.map((i) => `${i.parameter_name}: ${i.message}`).join('; '));
    this.name = 'GradioInputError';
  }
}

const issue = (parameter_name: string, message: string): GradioValidationIssue => ({ __type__: 'validate', is_valid: false, parameter_name, message });

/** Our field names → the Gradio parameter names a caller used. */
export const GRADIO_NAMES: Record<RequestField, string> = {
  description: 'description',
  diagramType: 'diagram_type',
  direction: 'direction',
  currentDiagram: 'current_diagram',
  instruction: 'instruction',
  maxNewTokens: 'max_new_tokens',
  code: 'code',
  body: 'data',
};

/** A rule-book message, in Gradio's parameter names. */
export function gradioMessage(message: string): string {
  return message.replace(/`(\w+)`/g, (whole, name: string) => (name in GRADIO_NAMES ? `\`${GRADIO_NAMES[name as RequestField]}\`` : whole));
}

/** What a Gradio call asks for: a valid request, or a problem to report as a failed run. */
export type GradioRequest = { ok: true; request: ValidRequest } | { ok: false; error: RequestProblem };

/**
 * Positional `data` → our request, judged by the rule book. `null`/missing
 * trailing values mean "use the default" (the JS client sends null for them).
 * Shape problems (wrong types, unknown choices) throw GradioInputError
 * (→ 422, Gradio's own answer); content problems (blank description,
 * lengths) come back to be reported in-stream, readable in every client.
 */
export function requestFromData(data: unknown, maxNewTokens: number): GradioRequest {
  if (!Array.isArray(data)) throw new GradioInputError([issue('data', 'must be an array of input values')]);
  const specs = inputSpecs(maxNewTokens);
  if (data.length > specs.length) {
    throw new GradioInputError([issue('data', `expected at most ${specs.length} values, got ${data.length}`)]);
  }
  const v = (i: number) => (data[i] === null ? undefined : data[i]);
  const mnt = v(5);
  const raw = {
    description: v(0),
    diagramType: v(1),
    direction: v(2),
    currentDiagram: v(3),
    instruction: v(4),
    // Gradio's Number sends floats (precision 0 rounds them in Gradio too).
    maxNewTokens: typeof mnt === 'number' && Number.isFinite(mnt) ? Math.round(mnt) : mnt,
  };
  const r = normalizeRequest(raw, { maxNewTokens });
  if (r.ok) return r;
  if (r.error.kind === 'shape') {
    const name = GRADIO_NAMES[r.error.field];
    // "`description` must be a string." → parameter description, "must be a string"
    const message = gradioMessage(r.error.message).replace(/^`[^`]+` /, '').replace(/\.$/, '');
    throw new GradioInputError([issue(name, message)]);
  }
  return { ok: false, error: { ...r.error, message: gradioMessage(r.error.message) } };
}

/** Keyword body (`POST …/call/v2/generate`) → positional data, with defaults; unknown keys throw. */
export function dataFromKeywords(body: unknown, maxNewTokens: number): unknown[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new GradioInputError([issue('body', 'must be a JSON object')]);
  const specs = inputSpecs(maxNewTokens);
  const known = new Set<string>([...specs.map((s) => s.name), 'session_hash']);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length) throw new GradioInputError(unknown.map((k) => issue(k, 'is not a parameter of /generate')));
  const obj = body as Record<string, unknown>;
  return specs.map((s) => (s.name in obj ? obj[s.name] : s.hasDefault ? s.default : undefined));
}
