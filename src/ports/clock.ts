/** Time as controllers see it: the wall clock in production, a virtual one in the simulator. */
export interface Clock {
  now(): Date;
}
