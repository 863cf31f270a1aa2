-- Argo CD health check for spate.dev/StreamingJob (argocd-cm key
-- resource.customizations.health.spate.dev_StreamingJob). Reads status.observedGeneration,
-- status.phase and status.conditions (types Ready, Progressing, Degraded) as the Spate operator
-- writes them; test cases in health_test.yaml, run by the repository's build.
local hs = {}

local function condition(ctype)
  if obj.status ~= nil and obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == ctype then
        return c
      end
    end
  end
  return nil
end

local function describe(c, fallback)
  if c == nil then
    return fallback
  end
  local text = c.reason or fallback
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end

if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to record a status"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
local ready = condition("Ready")
-- a Ready condition that carries its own observedGeneration must be as recent as the spec too
if ready ~= nil and ready.observedGeneration ~= nil and (observed == nil or ready.observedGeneration < observed) then
  observed = ready.observedGeneration
end
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local phase = obj.status.phase
local degraded = condition("Degraded")

if phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = describe(ready, "Suspended by spec.suspend")
  return hs
end

if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = describe(ready, "Failed")
  return hs
end

-- neither ready nor working towards it: stuck until someone acts (e.g. Ready=False InvalidSpec)
local progressing = condition("Progressing")
if ready ~= nil and ready.status == "False" and progressing ~= nil and progressing.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready, "Not ready")
  return hs
end

if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded, "Degraded")
  return hs
end

if phase == "Running" and ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "Running")
  return hs
end

hs.status = "Progressing"
hs.message = phase .. " (" .. describe(progressing or ready, "no condition yet") .. ")"
return hs
