import type { Holder, VaccinationEvent, Warning } from '../verify/report.js'
import { convertAlpha3ToAlpha2 } from './alpha3-to-alpha2.js'

type Json = Record<string, unknown>

const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * Maps the message zone of an ICAO VDS-NC proof of vaccination (`icao.vacc`) to our model:
 * `pid.n` and `pid.dob` give the holder; each `ve[]` vaccine with each of its `vd[]` doses gives
 * one event (`nam` as product, `des` as vaccine type, `dvc` date, `seq` dose, `ctr` country).
 *
 * @example
 * const { holder, events } = normalizeVdsNcMessage(vds.data.msg)
 */
export function normalizeVdsNcMessage(msg: unknown): {
  holder?: Holder
  events: VaccinationEvent[]
  warnings: Warning[]
} {
  const m = obj(msg)
  const warnings: Warning[] = []
  const pid = obj(m?.['pid'])
  const name = str(pid?.['n'])
  const holder: Holder | undefined =
    name === undefined ? undefined : { name, dateOfBirth: str(pid?.['dob']) ?? '' }
  const uvci = str(m?.['uvci'])
  // Required members of a proof of vaccination (ICAO VDS-NC guideline, PoV message zone): their
  // absence is reported, not fatal, so that sloppy but signed passes can still be shown.
  const missing = (path: string) =>
    warnings.push({ code: 'VDS_MISSING_FIELD', message: `required field ${path} missing`, path })
  if (uvci === undefined) missing('msg.uvci')
  if (name === undefined) missing('msg.pid.n')
  if (arr(m?.['ve']).length === 0) missing('msg.ve')
  const events: VaccinationEvent[] = []
  arr(m?.['ve']).forEach((veRaw, i) => {
    const ve = obj(veRaw)
    if (ve === undefined) return
    for (const key of ['des', 'nam']) if (ve[key] === undefined) missing(`msg.ve[${i}].${key}`)
    if (arr(ve['vd']).length === 0) missing(`msg.ve[${i}].vd`)
    arr(ve['vd']).forEach((vdRaw, j) => {
      const vd = obj(vdRaw)
      if (vd === undefined) return
      const path = `msg.ve[${i}].vd[${j}]`
      for (const key of ['dvc', 'seq', 'ctr', 'lot'])
        if (vd[key] === undefined) missing(`${path}.${key}`)
      const seq = vd['seq']
      const dose = typeof seq === 'number' ? seq : typeof seq === 'string' ? Number(seq) : NaN
      if (!Number.isInteger(dose) || dose < 1) {
        warnings.push({
          code: 'VDS_DOSE_NUMBER',
          message: 'dose number is not a positive integer',
          path,
        })
      }
      const ctr = str(vd['ctr'])
      const country = ctr === undefined ? undefined : convertAlpha3ToAlpha2(ctr)
      if (ctr !== undefined && country === undefined) {
        warnings.push({ code: 'VDS_COUNTRY', message: `unknown country code ${ctr}`, path })
      }
      const des = str(ve['des'])
      const dis = str(ve['dis'])
      events.push({
        product: str(ve['nam']) ?? des ?? '',
        ...(str(ve['nam']) === undefined ? {} : { productName: str(ve['nam'])! }),
        ...(des === undefined ? {} : { vaccineType: des }),
        ...(dis === undefined ? {} : { disease: dis }),
        date: (str(vd['dvc']) ?? '').slice(0, 10),
        ...(Number.isInteger(dose) && dose >= 1 ? { doseNumber: dose } : {}),
        ...(country === undefined ? {} : { country }),
        ...(uvci === undefined ? {} : { certificateId: uvci }),
      })
    })
  })
  return holder === undefined ? { events, warnings } : { holder, events, warnings }
}
