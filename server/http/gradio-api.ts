/**
 * The Gradio "app" we pretend to be: one queued generator endpoint
 * `/generate` with six inputs and two outputs (Mermaid code, JSON result).
 * Builds the `/config` and `/gradio_api/info` documents and maps a Gradio
 * `data` array (or keyword object) onto our GenerateRequest. See
 * ../shared/specs/gradio-protocol.md §3, §4 and §6.
 */
import type { GenerateRequest } from '../../common/protocol.ts';
import { DIAGRAM_TYPES, DIRECTIONS, type DiagramType, type Direction } from '../../common/limits.ts';

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

export function gradioConfig(opts: { title: string; maxNewTokens: number }) {
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
    space_id: null,
    show_error: true,
    is_colab: false,
    is_space: false,
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

/**
 * Positional `data` → GenerateRequest. `null`/missing trailing values mean
 * "use the default" (the JS client sends null for them). Wrong types and
 * unknown choices throw GradioInputError (→ 422); semantic checks (blank
 * description, lengths) happen later, in-stream.
 */
export function requestFromData(data: unknown, maxNewTokens: number): GenerateRequest {
  if (!Array.isArray(data)) throw new GradioInputError([issue('data', 'must be an array of input values')]);
  const specs = inputSpecs(maxNewTokens);
  if (data.length > specs.length) {
    throw new GradioInputError([issue('data', `expected at most ${specs.length} values, got ${data.length}`)]);
  }
  const issues: GradioValidationIssue[] = [];
  const v = (i: number) => (data[i] === null || data[i] === undefined ? undefined : data[i]);
  const str = (i: number, name: string): string | undefined => {
    const x = v(i);
    if (x === undefined) return undefined;
    if (typeof x !== 'string') issues.push(issue(name, 'must be a string'));
    return typeof x === 'string' ? x : undefined;
  };
  const description = str(0, 'description');
  if (v(0) === undefined) issues.push(issue('description', 'is required'));
  const diagramType = str(1, 'diagram_type');
  if (diagramType !== undefined && !(DIAGRAM_TYPES as readonly string[]).includes(diagramType)) {
    issues.push(issue('diagram_type', `must be one of ${DIAGRAM_TYPES.join(', ')}`));
  }
  const direction = str(2, 'direction');
  if (direction !== undefined && !(DIRECTIONS as readonly string[]).includes(direction)) {
    issues.push(issue('direction', `must be one of ${DIRECTIONS.join(', ')}`));
  }
  const currentDiagram = str(3, 'current_diagram');
  const instruction = str(4, 'instruction');
  const mnt = v(5);
  if (mnt !== undefined && (typeof mnt !== 'number' || !Number.isFinite(mnt))) issues.push(issue('max_new_tokens', 'must be a number'));
  if (issues.length) throw new GradioInputError(issues);

  const req: GenerateRequest = { description: description ?? '' };
  if (diagramType) req.diagramType = diagramType as DiagramType;
  if (direction) req.direction = direction as Direction;
  if (currentDiagram) req.currentDiagram = currentDiagram;
  if (instruction) req.instruction = instruction;
  if (typeof mnt === 'number') req.maxNewTokens = Math.round(mnt);
  return req;
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
