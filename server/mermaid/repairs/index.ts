/**
 * The deterministic repairs, in the order repair() tries them: first the
 * ones that remove what is not diagram (prose, a cut last line, comments in
 * another syntax), then headers and keywords, arrows, labels and text, ids
 * and names, and finally structure (blocks and braces left open). Each one
 * only touches diagrams of its own type; those marked `whenValid` are also
 * tried on diagrams Mermaid accepts (see types.ts).
 */
import { classBodies, classGenerics, classRelations } from './classDiagram.ts';
import { blockMisreads, blockSyntax } from './block.ts';
import { closeBraces } from './closeBraces.ts';
import { closeSubgraphs } from './closeSubgraphs.ts';
import { dropBrokenTail } from './dropBrokenTail.ts';
import { dropTrailingProse } from './dropTrailingProse.ts';
import { erAttributes, erCardinality, erEntityNames, erLabels } from './er.ts';
import { escapeQuotes } from './escapeQuotes.ts';
import { escapeText } from './escapeText.ts';
import { fixArrows } from './fixArrows.ts';
import { fixComments } from './fixComments.ts';
import { fixDirection } from './fixDirection.ts';
import { gitgraphSyntax } from './gitgraph.ts';
import { ganttColons, ganttDateFormat, ganttDurations, ganttTaskIds } from './gantt.ts';
import { journeyMissingScores, journeyScores } from './journey.ts';
import { keywordColons } from './keywordColons.ts';
import { listMarkers } from './listMarkers.ts';
import { mindmapBullets, mindmapIndent, mindmapRoots, mindmapText } from './mindmap.ts';
import { pieSlices } from './pie.ts';
import { proseAfter } from './proseAfter.ts';
import { quadrantPoints } from './quadrant.ts';
import { quoteLabels } from './quoteLabels.ts';
import { removeHtml } from './removeHtml.ts';
import { renameReservedIds } from './renameReservedIds.ts';
import { requirementSyntax } from './requirement.ts';
import { sankeyFlows } from './sankey.ts';
import { timelineEvents } from './timeline.ts';
import { sequenceActivations, sequenceArrows, sequenceBlocks, sequenceMessages, sequenceNotes, sequenceParticipants } from './sequence.ts';
import { spacedIds } from './spacedIds.ts';
import { stateAlias, stateArrows, stateIds } from './state.ts';
import type { Repair } from './types.ts';
import { xychartLabels } from './xychart.ts';

export type { Repair } from './types.ts';

export const REPAIRS: readonly Repair[] = [
  // What is not diagram (list markers first: the prose cut would take the marked lines).
  listMarkers,
  dropTrailingProse,
  proseAfter,
  dropBrokenTail,
  fixComments,
  // Header and keywords.
  fixDirection,
  keywordColons,
  // Arrows and relations.
  fixArrows,
  sequenceArrows,
  stateArrows,
  classRelations,
  erCardinality,
  // Labels and text.
  removeHtml,
  escapeQuotes,
  quoteLabels,
  escapeText,
  erLabels,
  mindmapText,
  mindmapBullets,
  // Charts: values and names as their parsers read them.
  pieSlices,
  quadrantPoints,
  xychartLabels,
  sankeyFlows,
  blockSyntax,
  blockMisreads,
  gitgraphSyntax,
  requirementSyntax,
  // Ids, names, declarations.
  renameReservedIds,
  spacedIds,
  sequenceMessages,
  sequenceNotes,
  sequenceParticipants,
  sequenceActivations,
  stateAlias,
  stateIds,
  classGenerics,
  classBodies,
  erAttributes,
  erEntityNames,
  ganttColons,
  ganttDurations,
  ganttDateFormat,
  ganttTaskIds,
  journeyScores,
  journeyMissingScores,
  timelineEvents,
  mindmapIndent,
  mindmapRoots,
  // Structure.
  closeSubgraphs,
  sequenceBlocks,
  closeBraces,
];
