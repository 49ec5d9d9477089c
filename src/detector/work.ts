// Counts of the detector's own work, so that tests can show it stays linear on hostile input by
// counting (characters looked at, candidates judged) rather than by timing a shared machine.

export const DETECTOR_WORK = {
  /** Characters (and masks of nearby keys) looked at for columns, snippets and allow comments. */
  charsMeasured: 0,
  /** Traces judged in full (parsed and run through the filters), after the cheap look that drops most. */
  candidatesJudged: 0,
  /** Characters of bytes turned into strings for the detector to search. */
  charsDecoded: 0,
};

export function resetDetectorWork(): void {
  DETECTOR_WORK.charsMeasured = 0;
  DETECTOR_WORK.candidatesJudged = 0;
  DETECTOR_WORK.charsDecoded = 0;
}
