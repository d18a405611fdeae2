// VS Code client for the blamelint language server (`blamelint lsp`, stdio).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  commands,
  ConfigurationChangeEvent,
  ExtensionContext,
  OutputChannel,
  Uri,
  window,
  workspace,
} from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

const SECTION = 'blamelint';
const FIX_ALL_KIND = 'source.fixAll.blamelint';

const DEFAULT_CATEGORIES: Record<string, boolean> = {
  blame: true,
  'named-individual': true,
  hindsight: true,
  'vague-action': true,
  followup: true,
  'root-cause': true,
  template: true,
};

/** The settings the server reads, under the key `blamelint` (keep in step with package.json). */
export interface BlamelintSettings {
  enable: boolean;
  path: string;
  args: string[];
  profile: 'default' | 'public';
  categories: Record<string, boolean>;
  severity: Record<string, 'error' | 'warning' | 'info'>;
  minConfidence: number;
  quotes: 'ignore' | 'check';
  debounceMs: number;
  maxSize: number;
  configPath: string | null;
}

export function readSettings(scope?: Uri): BlamelintSettings {
  const c = workspace.getConfiguration(SECTION, scope);
  const configPath = c.get<string | null>('configPath', null);
  return {
    enable: c.get<boolean>('enable', true),
    path: c.get<string>('path', 'blamelint'),
    args: c.get<string[]>('args', ['lsp']),
    profile: c.get<'default' | 'public'>('profile', 'default'),
    categories: { ...DEFAULT_CATEGORIES, ...c.get<Record<string, boolean>>('categories', {}) },
    severity: { ...c.get<Record<string, 'error' | 'warning' | 'info'>>('severity', {}) },
    minConfidence: c.get<number>('minConfidence', 0),
    quotes: c.get<'ignore' | 'check'>('quotes', 'ignore'),
    debounceMs: c.get<number>('debounceMs', 200),
    maxSize: c.get<number>('maxSize', 5242880),
    configPath: configPath ? configPath : null,
  };
}

function firstFolder(): string | undefined {
  return workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function expand(raw: string): string {
  let p = raw.trim();
  const folder = firstFolder();
  if (folder) {
    p = p.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    p = path.join(os.homedir(), p.slice(1));
  }
  return p;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Resolve `blamelint.path` to an executable file, or undefined when there is none. */
export function resolveExecutable(raw: string): string | undefined {
  const cmd = expand(raw);
  if (!cmd) {
    return undefined;
  }
  const exts =
    process.platform === 'win32'
      ? ['', ...(process.env.PATHEXT || '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)]
      : [''];
  const candidates = (base: string) => exts.map((e) => base + e);
  if (path.isAbsolute(cmd) || cmd.includes('/') || cmd.includes('\\')) {
    const base = path.isAbsolute(cmd) ? cmd : path.resolve(firstFolder() ?? process.cwd(), cmd);
    return candidates(base).find(isExecutableFile);
  }
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const found = candidates(path.join(dir, cmd)).find(isExecutableFile);
    if (found) {
      return found;
    }
  }
  return undefined;
}

let client: LanguageClient | undefined;
let output: OutputChannel;
// Start, stop and restart run one after another.
let queue: Promise<void> = Promise.resolve();

function serialize(task: () => Promise<void>): Promise<void> {
  queue = queue.then(task, task).catch((err) => {
    output.appendLine(`[client] ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  });
  return queue;
}

async function notFound(configured: string): Promise<void> {
  const msg =
    `blamelint: the language server executable "${configured}" was not found. ` +
    'Install blamelint (pip install blamelint) or set "blamelint.path" to the blamelint executable ' +
    '(for example .venv/bin/blamelint), then run "blamelint: Restart server".';
  output.appendLine(`[client] ${msg} PATH=${process.env.PATH ?? ''}`);
  const choice = await window.showErrorMessage(msg, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') {
    await commands.executeCommand('workbench.action.openSettings', 'blamelint.path');
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}

async function startClient(): Promise<void> {
  const settings = readSettings();
  if (!settings.enable) {
    output.appendLine('[client] blamelint.enable is false: the server is not started.');
    return;
  }
  const command = resolveExecutable(settings.path);
  if (!command) {
    void notFound(settings.path);
    return;
  }
  const ext = path.extname(command).toLowerCase();
  const serverOptions: ServerOptions = {
    command,
    args: settings.args,
    transport: TransportKind.stdio,
    options: {
      cwd: firstFolder(),
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
      // Node refuses to spawn .cmd/.bat files without a shell.
      shell: process.platform === 'win32' && (ext === '.cmd' || ext === '.bat'),
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'untitled', language: 'markdown' },
      { scheme: 'untitled', language: 'plaintext' },
      { scheme: 'file', language: 'mdx' },
      { scheme: 'file', pattern: '**/*.mdx' },
    ],
    synchronize: {
      configurationSection: SECTION,
      fileEvents: workspace.createFileSystemWatcher('**/.blamelint.{yaml,yml}'),
    },
    initializationOptions: () => ({ [SECTION]: readSettings() }),
    outputChannel: output,
    middleware: {
      workspace: {
        // Answer workspace/configuration for "blamelint" with the same shape as initializationOptions.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) {
            return result;
          }
          return params.items.map((item, i) =>
            item.section === SECTION
              ? readSettings(item.scopeUri ? Uri.parse(item.scopeUri) : undefined)
              : result[i],
          );
        },
      },
    },
  };
  output.appendLine(`[client] starting ${command} ${settings.args.join(' ')}`);
  const c = new LanguageClient(SECTION, 'blamelint', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    output.appendLine(`[client] the server failed to start: ${detail}`);
    client = undefined;
    try {
      await c.dispose();
    } catch {
      // already stopped
    }
    const choice = await window.showErrorMessage(
      `blamelint: the language server "${command} ${settings.args.join(' ')}" failed to start: ${detail}`,
      'Show Output',
    );
    if (choice === 'Show Output') {
      output.show(true);
    }
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      output.appendLine(`[client] stop: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function restart(): Promise<void> {
  return serialize(async () => {
    await stopClient();
    await startClient();
  });
}

async function fixAll(): Promise<void> {
  const editor = window.activeTextEditor;
  if (!editor || !['markdown', 'plaintext', 'mdx'].includes(editor.document.languageId)) {
    void window.showInformationMessage('blamelint: open a Markdown or plain-text document to fix.');
    return;
  }
  if (!client || !client.isRunning()) {
    void window.showWarningMessage('blamelint: the language server is not running.');
    return;
  }
  await commands.executeCommand('editor.action.sourceAction', {
    kind: FIX_ALL_KIND,
    apply: 'first',
  });
}

export async function activate(context: ExtensionContext): Promise<void> {
  output = window.createOutputChannel('blamelint');
  context.subscriptions.push(
    output,
    commands.registerCommand('blamelint.restartServer', () => restart()),
    commands.registerCommand('blamelint.fixAll', () => fixAll()),
    commands.registerCommand('blamelint.showOutput', () => output.show(true)),
    workspace.onDidChangeConfiguration((e: ConfigurationChangeEvent) => {
      // Everything else reaches the running server through synchronize.configurationSection.
      if (
        e.affectsConfiguration('blamelint.enable') ||
        e.affectsConfiguration('blamelint.path') ||
        e.affectsConfiguration('blamelint.args')
      ) {
        void restart();
      }
    }),
    workspace.onDidGrantWorkspaceTrust(() => void restart()),
  );
  await serialize(startClient);
}

export async function deactivate(): Promise<void> {
  await serialize(stopClient);
}
