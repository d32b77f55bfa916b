// The component gallery: every chart, the agent panel, the params diff and the trial table mounted with
// fixture data computed in Node by the real analysis code (served as /fixture.json by the test).
import { createApp } from 'vue'
import '../../../src/renderer/src/styles.css'
import Gallery from './Gallery.vue'

createApp(Gallery).mount('#app')
