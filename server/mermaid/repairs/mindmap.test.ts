/** Table tests for the mindmap repairs; every changed row is checked with Mermaid's parser. */
import { mindmapBullets, mindmapIndent, mindmapText } from './mindmap.ts';
import { table } from './table.ts';

table(mindmapIndent, [
  ['tabs among spaces (Route became a child of Budget)', 'mindmap\n\troot((Trip))\n\t\tBudget\n        Route\n\t        Stops', 'mindmap\n    root((Trip))\n        Budget\n        Route\n            Stops'],
  ['two-space steps: a tab is one level deeper', 'mindmap\n  root\n\tA\n\t  B\n    C', 'mindmap\n  root\n    A\n      B\n    C'],
  ['root indented by four spaces, children by tabs (read as more roots): tab stops of 8 keep the tree', 'mindmap\n    root((Trip))\n\tBudget\n\t\tHotel\n\tRoute', 'mindmap\n    root((Trip))\n        Budget\n                Hotel\n        Route'],
  ['tabs only untouched', 'mindmap\n\troot\n\t\tA\n\t\tB', 'mindmap\n\troot\n\t\tA\n\t\tB'],
]);

table(mindmapText, [
  ['parentheses in plain text (drawn as a round node "EUR") (fr)', 'mindmap\n    root((Voyage))\n        Budget (EUR)\n        Hébergement (3 nuits)', 'mindmap\n    root((Voyage))\n        Budget #40;EUR#41;\n        Hébergement #40;3 nuits#41;'],
  ['special characters inside a shape', 'mindmap\n    root((Trip))\n        b[Budget (EUR)]\n        c(Route {A1})', 'mindmap\n    root((Trip))\n        b["Budget (EUR)"]\n        c("Route {A1}")'],
  ['text starting with a parenthesis, braces (de)', 'mindmap\n    root((Reise))\n        (optional) Budget\n        {json}', 'mindmap\n    root((Reise))\n        #40;optional#41; Budget\n        #123;json#125;'],
  ['empty shape', 'mindmap\n    root((Trip))\n        b[]', 'mindmap\n    root((Trip))\n        b'],
  ['shapes, icons and quoted text untouched', 'mindmap\n    root((Trip))\n        b[Budget]\n        [Route]\n        c((Stops))\n        d))Bang((\n        e["x (y)"]\n        ::icon(fa fa-book)', 'mindmap\n    root((Trip))\n        b[Budget]\n        [Route]\n        c((Stops))\n        d))Bang((\n        e["x (y)"]\n        ::icon(fa fa-book)'],
]);

table(mindmapBullets, [
  ['list markers (de)', 'mindmap\n    root((Reise))\n        - Budget\n        * Route\n            + Stopps', 'mindmap\n    root((Reise))\n        Budget\n        Route\n            Stopps'],
  ['heading as root', 'mindmap\n    # Trip\n        Budget', 'mindmap\n    Trip\n        Budget'],
  ['numbers are text: untouched', 'mindmap\n    root\n        1. Budget', 'mindmap\n    root\n        1. Budget'],
]);
