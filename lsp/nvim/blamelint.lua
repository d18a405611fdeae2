-- blamelint language server for Neovim (Markdown and plain-text post-mortems).
--
-- Needs `blamelint` on $PATH (pip install blamelint). Copy the part that matches your
-- Neovim into your config, or source this whole file (`:luafile` / `dofile(...)` from
-- init.lua): it uses (a) on Neovim 0.11+, (b) on 0.8–0.10, and (c) instead when you set
-- `vim.g.blamelint_use_lspconfig = true` before sourcing it and nvim-lspconfig is installed.
--
-- Fix all in the current buffer:  :BlamelintFixAll
-- Fix on save: add `vim.cmd.BlamelintFixAll()` to a BufWritePre autocmd for markdown/text.

local cmd = { 'blamelint', 'lsp' } -- or { '/path/to/venv/bin/blamelint', 'lsp' }

-- The server's settings, sent as init_options.blamelint and settings.blamelint (the server
-- also answers workspace/configuration for the section "blamelint"). Leave keys out for
-- the defaults. ".blamelint.yaml" next to or above a file applies on top.
local settings = {
  enable = true,
  profile = 'default', -- 'public': names and personal handles become errors
  categories = {
    blame = true,
    ['named-individual'] = true,
    hindsight = true,
    ['vague-action'] = true,
    followup = true,
    ['root-cause'] = true,
    template = true,
  },
  -- severity = { hindsight = 'info', ['human-error'] = 'error' }, -- rule id or category
  minConfidence = 0.0,
  quotes = 'ignore', -- 'check' lints quoted speech and blockquotes too
  debounceMs = 200,
  -- configPath = '/path/to/.blamelint.yaml', -- instead of discovery
}

local root_markers = { '.blamelint.yaml', '.blamelint.yml', 'pyproject.toml', '.git' }

-- Neovim's filetype "text" is LSP's languageId "plaintext".
local function get_language_id(_, filetype)
  return filetype == 'text' and 'plaintext' or filetype
end

local function fix_all()
  vim.lsp.buf.code_action({
    context = { only = { 'source.fixAll.blamelint' }, diagnostics = {} },
    apply = true,
  })
end
vim.api.nvim_create_user_command('BlamelintFixAll', fix_all, { desc = 'blamelint: fix all' })

if vim.g.blamelint_use_lspconfig and pcall(require, 'lspconfig') then
  -- (c) nvim-lspconfig (its require('lspconfig') framework; on Neovim 0.11+ prefer (a)).
  local configs = require('lspconfig.configs')
  local util = require('lspconfig.util')
  if not configs.blamelint then
    configs.blamelint = {
      default_config = {
        cmd = cmd,
        filetypes = { 'markdown', 'mdx', 'text' },
        root_dir = util.root_pattern(unpack(root_markers)),
        single_file_support = true,
        get_language_id = get_language_id,
        init_options = { blamelint = settings },
        settings = { blamelint = settings },
      },
      docs = { description = 'blamelint: a linter for blameless incident post-mortems.' },
    }
  end
  require('lspconfig').blamelint.setup({})
elseif vim.fn.has('nvim-0.11') == 1 then
  -- (a) Neovim 0.11+
  vim.lsp.config('blamelint', {
    cmd = cmd,
    filetypes = { 'markdown', 'mdx', 'text' },
    root_markers = root_markers,
    get_language_id = get_language_id,
    init_options = { blamelint = settings },
    settings = { blamelint = settings },
  })
  vim.lsp.enable('blamelint')
elseif vim.fn.has('nvim-0.8') == 1 then
  -- (b) Neovim 0.8–0.10
  vim.api.nvim_create_autocmd('FileType', {
    group = vim.api.nvim_create_augroup('blamelint_lsp', { clear = true }),
    pattern = { 'markdown', 'mdx', 'text' },
    callback = function(args)
      if vim.fn.executable(cmd[1]) ~= 1 then
        vim.notify('blamelint: "' .. cmd[1] .. '" not found; pip install blamelint', vim.log.levels.ERROR)
        return
      end
      local name = vim.api.nvim_buf_get_name(args.buf)
      local dir = name ~= '' and vim.fs.dirname(name) or vim.fn.getcwd()
      local found = vim.fs.find(root_markers, { upward = true, path = dir })
      vim.lsp.start({
        name = 'blamelint',
        cmd = cmd,
        root_dir = found[1] and vim.fs.dirname(found[1]) or dir,
        get_language_id = get_language_id,
        init_options = { blamelint = settings },
        settings = { blamelint = settings },
      }, { bufnr = args.buf })
    end,
  })
end
