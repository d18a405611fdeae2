-- Headless Neovim (0.7+): attach blamelint, read the diagnostics, apply a quick fix, read them again.
-- Arguments come through environment variables; results are written as JSON to BLAMELINT_OUT.
local out_path = os.getenv("BLAMELINT_OUT")
local python = os.getenv("BLAMELINT_PYTHON")
local results = {}

local function finish(ok, err)
  results.ok = ok
  results.error = err
  local f = io.open(out_path, "w")
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd("qa!")
end

local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(out, lsp.code or d.code)
  end
  return out
end

local function has(list, value)
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "blamelint",
    cmd = { python, "-m", "blamelint", "lsp" },
    root_dir = vim.fn.getcwd(),
    init_options = { blamelint = { debounceMs = 20 } },
  })
  assert(client_id, "the server did not start")
  vim.lsp.buf_attach_client(bufnr, client_id)

  assert(vim.wait(90000, function() return has(codes(bufnr), "human-error") end, 100),
    "no blamelint diagnostics arrived")
  results.before = codes(bufnr)

  local line
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if (lsp.code or d.code) == "human-error" then line = d.lnum end
  end
  local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = line, character = 0 }, ["end"] = { line = line, character = #text } },
    context = { diagnostics = {} },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 30000)
  local action
  for _, resp in pairs(responses or {}) do
    for _, a in ipairs(resp.result or {}) do
      if a.isPreferred and a.diagnostics and a.diagnostics[1].code == "human-error" then action = a end
    end
  end
  if not action then
    results.responses = responses
  end
  assert(action, "no preferred quick fix for human-error: " .. vim.inspect(responses):sub(1, 1500))
  results.action = action.title
  vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  results.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

  assert(vim.wait(60000, function()
    local now = codes(bufnr)
    return #now > 0 and not has(now, "human-error")
  end, 100), "the finding did not go away after the fix")
  results.after = codes(bufnr)
end)

finish(ok, err and tostring(err) or nil)
