// The pages' only script (the CSP allows no other): GOV.UK Frontend's components, the upload straight to Blob storage
// with a progress bar, and the receipt page's wait for the receipt. Every page works without it except the upload.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) document.body.classList.add('govuk-frontend-supported')
initAll()

const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content

const uploadForm = document.querySelector('[data-module="pages-upload"]')
if (uploadForm) setUpUpload(uploadForm)

const poll = document.querySelector('[data-module="pages-receipt-poll"]')
if (poll) waitForReceipt(poll)

class UploadError extends Error {
  constructor (message, field) {
    super(message)
    this.field = field || 'file'
  }
}

function setUpUpload (form) {
  const button = form.querySelector('[data-upload-button]')
  const progressBox = form.querySelector('[data-upload-progress]')
  const progress = progressBox.querySelector('progress')
  const status = progressBox.querySelector('[data-upload-status]')

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearErrors(form)
    const type = form.querySelector('input[name="dropType"]:checked')
    const file = form.querySelector('input[type="file"]').files[0]
    const errors = []
    if (!type) errors.push(new UploadError('Choose what you are sending', 'dropType'))
    if (!file) errors.push(new UploadError('Choose a CSV file', 'file'))
    if (errors.length) return showErrors(form, errors)

    button.disabled = true
    progressBox.hidden = false
    progress.value = 0
    status.textContent = 'Starting the upload…'
    try {
      const link = await requestLink(form.dataset.linkUrl, { dropType: type.value, fileName: file.name, size: file.size })
      await sendFile(file, link, (sent) => {
        const percent = Math.floor((sent / file.size) * 100)
        progress.value = percent
        status.textContent = `Uploaded ${percent}%`
      })
      progress.value = 100
      status.textContent = 'Upload complete. Checking your file…'
      window.location.assign(link.next)
    } catch (error) {
      progressBox.hidden = true
      button.disabled = false
      showErrors(form, [error instanceof UploadError ? error : new UploadError('The upload did not finish. Check your connection and try again.')])
    }
  })
}

async function requestLink (url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
    body: JSON.stringify(body)
  })
  const answer = await response.json().catch(() => ({}))
  if (!response.ok) throw new UploadError(answer.error || 'The upload could not start. Reload the page and try again.', answer.field)
  return answer
}

// Small files in one request; larger ones in blocks, so the progress bar moves and a slow connection does not
// have to hold one huge request open. The blob exists only once the block list is committed.
async function sendFile (file, link, onProgress) {
  if (file.size <= link.blockSize) {
    await put(link.uploadUrl, file, { 'x-ms-blob-type': 'BlockBlob', 'Content-Type': 'text/csv' }, (loaded) => onProgress(loaded))
    return
  }
  const ids = []
  for (let offset = 0, index = 0; offset < file.size; offset += link.blockSize, index++) {
    const id = btoa(String(index).padStart(8, '0'))
    ids.push(id)
    const part = file.slice(offset, Math.min(offset + link.blockSize, file.size))
    await put(`${link.uploadUrl}&comp=block&blockid=${encodeURIComponent(id)}`, part, {}, (loaded) => onProgress(offset + loaded))
  }
  const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`
  await put(`${link.uploadUrl}&comp=blocklist`, list, { 'x-ms-blob-content-type': 'text/csv', 'Content-Type': 'application/xml' }, () => {})
}

// XMLHttpRequest rather than fetch: only it reports upload progress.
function put (url, body, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('PUT', url)
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value)
    request.upload.addEventListener('progress', (event) => onProgress(event.loaded))
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve()
      else if (request.status === 403) reject(new UploadError('The upload link has run out. Choose the file and upload it again.'))
      else reject(new UploadError(`Storage refused the upload (${request.status}). Try again; if it keeps happening, tell the YOT's information officer.`))
    })
    request.addEventListener('error', () => reject(new UploadError('The upload could not reach storage. Check your connection and try again.')))
    request.send(body)
  })
}

function clearErrors (form) {
  const summary = document.querySelector('[data-upload-errors]')
  summary.hidden = true
  summary.querySelector('[data-upload-error-list]').replaceChildren()
  for (const group of form.querySelectorAll('.govuk-form-group--error')) group.classList.remove('govuk-form-group--error')
  for (const message of form.querySelectorAll('.govuk-error-message')) message.hidden = true
  document.title = document.title.replace(/^Error: /, '')
}

function showErrors (form, errors) {
  const summary = document.querySelector('[data-upload-errors]')
  const list = summary.querySelector('[data-upload-error-list]')
  for (const error of errors) {
    const target = error.field === 'dropType' ? form.querySelector('input[name="dropType"]') : form.querySelector('input[type="file"]')
    const group = document.getElementById(`${error.field}-group`)
    const message = document.getElementById(`${error.field}-error`)
    if (group) group.classList.add('govuk-form-group--error')
    if (message) {
      message.hidden = false
      message.lastChild.textContent = ` ${error.message}`
    }
    const item = document.createElement('li')
    const link = document.createElement('a')
    link.href = `#${target ? target.id : 'file'}`
    link.textContent = error.message
    item.append(link)
    list.append(item)
  }
  summary.hidden = false
  document.title = `Error: ${document.title}`
  summary.focus()
}

// Ask every 2 seconds, for up to 10 minutes, whether the receipt exists; then show it.
function waitForReceipt (element) {
  const message = element.querySelector('[data-poll-message]')
  let tries = 0
  const timer = setInterval(async () => {
    tries++
    if (tries > 300) {
      clearInterval(timer)
      message.textContent = 'Checking is taking longer than usual. Come back to this page later: the receipt will be here.'
      return
    }
    try {
      const response = await fetch(element.dataset.statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) return
      const answer = await response.json()
      if (answer.ready) {
        clearInterval(timer)
        window.location.reload()
      }
    } catch {
      // A dropped connection: the next tick asks again.
    }
  }, 2000)
}
