// The adapters implement the SDK's interfaces structurally (no @opentelemetry import at runtime):
// this compiles typecheck/sdk-assignability.ts against the real sdk-trace-base 2.x types and the
// built declaration files, and fails with the compiler's words if they drifted apart.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../runtimes/pack.js';

describe('SDK interfaces', () => {
  it('SieveSpanProcessor/SieveSpanExporter are SDK SpanProcessor/SpanExporter, and SDK spans are ours', () => {
    const file = join(REPO, 'test', 'integrations', 'typecheck', 'sdk-assignability.ts');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      types: ['node'],
      skipLibCheck: true,
    });
    const messages = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.slice(REPO.length)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  }, 60_000);

  it('SieveLogRecordProcessor is an SDK LogRecordProcessor (sdk-logs 0.2xx) taking the SDK exporters, and SDK records are ours', () => {
    const file = join(REPO, 'test', 'integrations', 'typecheck', 'sdk-log-assignability.ts');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      types: ['node'],
      skipLibCheck: true,
    });
    const messages = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? `${d.file.fileName.slice(REPO.length)}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(messages).toEqual([]);
  }, 60_000);
});
