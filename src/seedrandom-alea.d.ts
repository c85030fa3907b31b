// Types for the one seedrandom engine tapegrad uses (the package's own types cover only its main entry).
declare module 'seedrandom/lib/alea.js' {
  export interface AleaState {
    c: number;
    s0: number;
    s1: number;
    s2: number;
  }
  export interface AleaPrng {
    (): number;
    double(): number;
    int32(): number;
    state(): AleaState;
  }
  function alea(seed?: string | number, options?: { state?: boolean | AleaState }): AleaPrng;
  export default alea;
}
