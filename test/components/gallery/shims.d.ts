// The gallery entry is type-checked with the Node config, which knows no .vue or .css modules.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
declare module '*.css'
