/** The two colors of a BlueGreenDatabase. */
export enum BlueGreenColor {
  BLUE = 'blue',
  GREEN = 'green',
}

/** The other color. */
export function otherColor(color: BlueGreenColor): BlueGreenColor {
  return color === BlueGreenColor.BLUE ? BlueGreenColor.GREEN : BlueGreenColor.BLUE;
}
